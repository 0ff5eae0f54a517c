"""The vector legs: nearest assets by text embedding (and by pixels for CLIP models) in pgvector
(the SQL is in ``search_vector_sql``).

Filters and visibility are checked while the index is walked (pgvector's iterative scan). With
a selective filter (few assets kept, by the planner's estimate; fewer when fewer rows are
wanted) the vectors of those few are sorted exactly instead, found through the filters' own
indexes, in one backend; when a walk still ends short of ``k`` rows, the query runs again
exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from psycopg.rows import namedtuple_row
from sqlalchemy import ColumnElement, Select, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.engine import SESSION_SETTINGS, Database, serially
from tfdb_dam.db.models import Embedding
from tfdb_dam.db.vector_params import BinaryHalfvec
from tfdb_dam.search.query import ParsedQuery
from tfdb_dam.services.indexing_vectors import MAX_HNSW_DIMENSION, TEXT_SOURCE
from tfdb_dam.services.recent import Recent
from tfdb_dam.services.search_estimates import kept_rows, unfiltered
from tfdb_dam.services.search_vector_sql import vector_query, walk_sql

# The walk's settings, which every connection starts with (db/engine.py, SESSION_SETTINGS):
EF_SEARCH = int(SESSION_SETTINGS["hnsw.ef_search"])  # the beam: recall@10 0.96 at 1M
MAX_SCAN_TUPLES = int(SESSION_SETTINGS["hnsw.max_scan_tuples"])  # then the exact sort takes over
# A walk whose filters reject some neighbours (the public's view, a kind) keeps fewer of those it
# visits and loses recall with the same beam: at a million assets, published photos only, recall@10
# fell from 0.963 unfiltered to 0.933 at 96. Filtered walks get this wider beam.
FILTERED_EF_SEARCH = 128
# Below this many assets kept by the filters (planner's estimate), the exact scan of their vectors
# is cheaper than walking the graph past the many neighbours the filters reject. PostgreSQL's own
# costing of the walk ignores the rejections. Measured at a million assets (384 dimensions, 2
# cores, p50 for 50 rows wanted), the two meet at ~18 000 kept for agency + subject filters, which
# the covering index of migration 0012 answers alone (~4 ms per thousand kept: 14 600 sort in 59
# ms against an 82 ms walk, 21 800 in 87 against 73), and at ~15 500 for a capture-date range,
# which reads the table (~5 ms per thousand: 15 700 sort in 78 ms, walk 78). Between the two:
EXACT_BELOW = 17_000
EXACT_BELOW_FOR = 50  # ... for this many rows wanted (the app's vector leg); see exact_below()
QUERY_CACHE_SIZE = 256  # query embeddings kept (see QueryVectors)
# Multilingual models read Vietnamese; the English-only default only sees Latin letters in it.
# Judged by the names such models are published under (a local folder keeps its model's name).
_MULTILINGUAL_MARKERS = ("multilingual", "labse", "bge-m3", "vietnamese", "phobert", "xlm-r")


@dataclass(frozen=True)
class VectorHit:
    asset_id: int
    similarity: float  # cosine similarity, 1 = same direction
    source: str


def is_multilingual(model_name: str) -> bool:
    """Whether the model understands Vietnamese, judged by the usual names of such models."""
    name = model_name.lower()
    return any(marker in name for marker in _MULTILINGUAL_MARKERS)


def query_text(parsed: ParsedQuery, multilingual: bool) -> str:
    """What to embed for a query: as typed, plus the thesaurus' English words for an English-only
    model reading a Vietnamese query (it would otherwise see only broken syllables)."""
    english = parsed.expansion_terms("en")
    if multilingual or parsed.lang == "en" or not english:
        return parsed.nfc
    return f"{parsed.nfc} ({', '.join(english)})"


class QueryVectors:
    """The last ``size`` query embeddings: people page through a result and refine its filters,
    and each time the same words would be embedded again (tens of milliseconds of CPU)."""

    def __init__(self, size: int):
        self._recent: Recent[np.ndarray] = Recent(size)

    @property
    def size(self) -> int:
        return self._recent.size

    @size.setter
    def size(self, size: int) -> None:
        self._recent.size = size

    def get(self, encoder, words: str) -> np.ndarray:  # noqa: ANN001 - an Encoder
        return self._recent.get_or_make((encoder.model_name, words), lambda: _embedded(encoder, words))

    def clear(self) -> None:
        self._recent.clear()


def _embedded(encoder, words: str) -> np.ndarray:  # noqa: ANN001 - an Encoder
    vector = encoder.encode_texts([words])[0]
    vector.flags.writeable = False  # shared between requests
    return vector


query_vectors = QueryVectors(QUERY_CACHE_SIZE)


def configure_scan(session: Session, limit: int, *, filtered: bool = False) -> None:
    """A beam of at least ``limit`` for this transaction (HNSW returns at most ef_search rows),
    and of FILTERED_EF_SEARCH when filters reject neighbours. Every connection starts with the
    walk's other settings and a beam of EF_SEARCH."""
    beam = max(limit, FILTERED_EF_SEARCH if filtered else 0)
    if beam > EF_SEARCH:
        session.execute(text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(beam)})


def nearest(
    session: Session,
    dimension: int,
    model: str,
    sources: str,
    vector: Sequence[float],
    conditions: list[ColumnElement[bool]],
    limit: int,
) -> list[VectorHit]:
    """The ``limit`` nearest assets, best first; one hit per asset (its best frame for videos)."""
    fetch = _fetched(sources, limit)
    statement = partial(vector_query, dimension, model, sources, conditions, fetch)
    bound = {"query_vector": vector}  # either type takes a list or an array as it is
    if kept_rows(session, conditions) < exact_below(fetch):
        rows = _exact_rows(session, statement(exact=True), bound)
    elif dimension > MAX_HNSW_DIMENSION:  # no index: every kept vector is read, workers help
        rows = session.execute(statement(exact=True), bound).all()
    else:
        configure_scan(session, fetch, filtered=not unfiltered(conditions))
        rows = session.execute(statement(), bound).all()
        if len(rows) < fetch:
            # The walk ended short of k (the estimate was too high): the filter keeps few rows.
            rows = _exact_rows(session, statement(exact=True), bound)
    return _best_per_asset(rows, limit)


def nearest_apart(
    db: Database,
    dimension: int,
    model: str,
    sources: str,
    vector: Sequence[float],
    conditions: list[ColumnElement[bool]],
    limit: int,
) -> list[VectorHit]:
    """nearest() on a connection of its own, as a search's worker thread runs it. A plain walk
    (nothing filtered out, a beam as wide as the rows wanted, an indexed dimension) is a single
    statement and needs no setting changed: it runs outside any transaction and outside
    SQLAlchemy, ~2.5 ms less of a ~12 ms walk at a million assets. Anything else, and a plain
    walk that ends short of its rows, runs as nearest() in a transaction of its own."""
    fetch = _fetched(sources, limit)
    if unfiltered(conditions) and fetch <= EF_SEARCH and dimension <= MAX_HNSW_DIMENSION:
        sql, params = walk_sql(db.engine.dialect, dimension, model, sources, fetch)
        bound = {**params, "query_vector": BinaryHalfvec.of(vector)}
        with db.autocommit() as connection, connection.cursor(row_factory=namedtuple_row) as cursor:
            rows = cursor.execute(sql, bound).fetchall()
        if len(rows) >= fetch:
            return _best_per_asset(rows, limit)
    with db.begin() as session:
        return nearest(session, dimension, model, sources, vector, conditions, limit)


def _fetched(sources: str, limit: int) -> int:
    """Rows the walk fetches for ``limit`` assets: several frames may belong to one video."""
    return limit * 3 if sources != TEXT_SOURCE else limit


def exact_below(fetch: int) -> float:
    """Below how many kept assets the exact sort beats the walk, for ``fetch`` rows wanted. The
    walk passes about fetch x (all / kept) neighbours and the exact sort reads the kept vectors,
    so the two cost the same where kept^2 grows as fetch. At a million assets, k=10 (a 7 600
    threshold here): agency + subject, 7 100 kept sort in 32 ms against a 50 ms walk, 14 600 in
    59 against 33; a date range, 8 500 kept in 45 against 39."""
    return EXACT_BELOW * math.sqrt(max(1, fetch) / EXACT_BELOW_FOR)


def _exact_rows(session: Session, statement: Select, bound: dict) -> Sequence:
    """The exact sort, in this backend alone. Its costly step is the bitmap of the assets the
    filters keep (a BitmapAnd of their indexes), which the leader builds while parallel workers
    wait; the workers then only share the few thousand lookups, and on two cores their start-up
    and their competition with the leader cost more than they save (1M assets, 7 000 kept, k=50:
    p50 130-147 ms alone against 160-166 ms with two workers)."""
    return serially(session, statement, bound)


def _best_per_asset(rows: Sequence, limit: int) -> list[VectorHit]:
    best: dict[int, VectorHit] = {}
    for row in sorted(rows, key=lambda r: r.distance):  # relaxed order: sort what came back
        if row.asset_id not in best:
            best[row.asset_id] = VectorHit(row.asset_id, 1.0 - float(row.distance), row.source)
    return list(best.values())[:limit]


def asset_vector(
    session: Session, asset_id: int, model: str, source: str = TEXT_SOURCE
) -> list[float] | None:
    """An asset's own stored vector (for "more like this"), or None when it has none yet."""
    found = session.execute(
        select(Embedding.vector).where(
            Embedding.asset_id == asset_id, Embedding.model == model, Embedding.source == source
        )
    ).scalar()
    return None if found is None else [float(v) for v in found]
