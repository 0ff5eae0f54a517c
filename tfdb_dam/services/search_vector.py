"""The vector legs: nearest assets by text embedding (and by pixels for CLIP models) in pgvector.

The query casts the dimensionless column to ``vector(d)`` and states ``dimension = d`` as a
literal, exactly as the partial HNSW index ``sx_embeddings_hnsw_<d>`` is written, so the planner
can use it under any plan (custom or generic). Filters and visibility are checked while the index
is walked (pgvector's iterative scan); when a selective filter leaves the walk short of ``k``
rows, the same query runs as an exact scan over the few rows the filter keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pgvector.sqlalchemy import Vector
from sqlalchemy import ColumnElement, Select, bindparam, cast, literal_column, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Embedding
from tfdb_dam.search.query import ParsedQuery
from tfdb_dam.services.indexing_vectors import IMAGE_SOURCE, MAX_HNSW_DIMENSION, TEXT_SOURCE

EF_SEARCH = 64  # candidates HNSW keeps while walking (see bench/results: recall@10 against exact)
MAX_SCAN_TUPLES = 20_000  # how far an iterative scan may walk before we fall back to exact
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


def _source_condition(sources: str) -> ColumnElement[bool]:
    if sources == TEXT_SOURCE:
        return Embedding.source == TEXT_SOURCE
    return Embedding.source.like(f"{IMAGE_SOURCE}%")


def vector_statement(
    dimension: int,
    model: str,
    sources: str,
    vector: Sequence[float],
    conditions: list[ColumnElement[bool]],
    limit: int,
    *,
    exact: bool = False,
) -> Select:
    """Nearest embeddings (of ``sources``: "text" or "image") among the assets ``conditions`` keep."""
    dimension = int(dimension)
    typed = cast(Embedding.vector, Vector(dimension))
    query = bindparam("query_vector", list(map(float, vector)), type_=Vector(dimension))
    distance = typed.cosine_distance(query)
    # The exact path orders by the uncast column, which no index matches: a plain scan and sort.
    order = Embedding.vector.cosine_distance(query) if exact else distance
    return (
        select(Embedding.asset_id, Embedding.source, distance.label("distance"))
        .join(Asset, Asset.id == Embedding.asset_id)
        .where(
            Embedding.dimension == literal_column(str(dimension)),
            Embedding.model == model,
            _source_condition(sources),
            *conditions,
        )
        .order_by(order)
        .limit(limit)
    )


def configure_scan(session: Session, limit: int) -> None:
    """HNSW settings for this transaction: wide enough beam, filters checked during the walk."""
    session.execute(
        text(
            "SELECT set_config('hnsw.ef_search', :ef, true), "
            "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
            "set_config('hnsw.max_scan_tuples', :tuples, true)"
        ),
        {"ef": str(max(EF_SEARCH, limit)), "tuples": str(MAX_SCAN_TUPLES)},
    )


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
    fetch = limit * 3 if sources != TEXT_SOURCE else limit  # several frames may belong to one video
    configure_scan(session, fetch)
    indexed = dimension <= MAX_HNSW_DIMENSION
    rows = session.execute(
        vector_statement(dimension, model, sources, vector, conditions, fetch, exact=not indexed)
    ).all()
    hits = _best_per_asset(rows, limit)
    if indexed and len(rows) < fetch:
        # A selective filter starved the walk: the filter keeps few rows, so scanning them is cheap.
        rows = session.execute(
            vector_statement(dimension, model, sources, vector, conditions, fetch, exact=True)
        ).all()
        hits = _best_per_asset(rows, limit)
    return hits


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
