"""Search: a query in Vietnamese (accents or not) or English, filters and facets, within what the
searcher may see; hits ranked by fusing the full-text leg with the vector legs, each hit explained.

How a query runs: NFC, folding and thesaurus expansion (``search.query``) → the full-text leg
(``search_lexical``) and the vector legs (``search_vector``), each already restricted by the
filters and the visibility rule → weighted reciprocal rank fusion (``search.fusion``) with weights
chosen by the query's language → the page, its reasons, and the facets of the whole result.
The query is embedded, and the vector legs run, in a worker thread while PostgreSQL runs the
full-text leg: on two cores the model and the database then each have one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset
from tfdb_dam.search.fusion import fused_scores
from tfdb_dam.search.query import ParsedQuery, parse_query
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.search_facets import facet_counts, facets_of
from tfdb_dam.services.search_filters import among, filter_conditions
from tfdb_dam.services.search_lexical import lexical_leg
from tfdb_dam.services.search_lexical_terms import LexTerm
from tfdb_dam.services.search_reasons import build_hits
from tfdb_dam.services.search_similar import more_like_this
from tfdb_dam.services.search_thesaurus import thesaurus_for
from tfdb_dam.services.search_types import (
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from tfdb_dam.services.search_vector import (
    VectorHit,
    is_multilingual,
    nearest,
    nearest_apart,
    query_text,
    query_vectors,
)

LEXICAL_LIMIT = 1000  # the result set: at most this many full-text matches …
VECTOR_LIMIT = 50  # … plus this many nearest neighbours per vector leg, above a similarity floor
# Which neighbours join the result: those close to the best one, and none below a floor. Sentence
# models give unrelated passages a cosine below ~0.3, yet a whole small library can sit above it:
# on the demo, "chua thien mu" found Thiên Mụ at 0.58 and 14 other assets (the incense village at
# 0.44). On search-dev (MiniLM) the relevant records in the text leg's first 10 lie within 0.13 of
# its best: a margin of 0.15 keeps them all (0.12 lost two), leaves the fused recall@10 and MRR as
# they were (as does any margin up to 0.25) and halves the results (median 39 -> 19 hits). CLIP
# similarities sit in a narrow band whatever the model, so there the margin alone decides.
# tests/integration/search/test_search_neighbours.py shows both sides on a small library.
TEXT_FLOOR, TEXT_MARGIN, CLIP_MARGIN = 0.30, 0.15, 0.10
RRF_K = 60
# Leg weights per query language. Measured on search-dev (bench/results/search-dev.md): the full
# text is the strongest leg everywhere; the default English-only model helps English queries and
# only adds noise to Vietnamese ones, so its weight drops there unless the model is multilingual.
LEG_WEIGHTS = {
    "en": {"fts": 1.0, "vector": 0.4, "image": 0.4},
    "vi": {"fts": 1.0, "vector": 0.15, "image": 0.2},
    "mixed": {"fts": 1.0, "vector": 0.25, "image": 0.3},
}
MULTILINGUAL_VECTOR_WEIGHT = 0.5
# The query is embedded in a worker thread while PostgreSQL runs the full-text leg; the same
# thread then runs the vector legs on a connection of its own (100k assets: p50 65-70 -> 57-59
# ms). The full-text statement is built first: building it is Python work, and done alongside
# the model (whose layers need the interpreter's lock between their operations) it slowed both.
_embedding = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tfdb-query-embedding")
# Whether this transaction has written anything (NULL: no transaction id assigned yet). When it
# has not, the vector legs run in the embedding's thread on a connection of their own; when it
# has, they run after the full-text leg on the caller's, which alone sees what was written.
_WRITTEN = text("SELECT txid_current_if_assigned()")
# The facets of a page of results are counted on another connection while this one builds the
# page's hits and their reasons (the two cost about the same: ~15 ms each at 1M assets).
_facets = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tfdb-search-facets")


@dataclass
class Ranking:
    """The fused order of a query's result set, with what each hit needs for its reasons."""

    ids: list[int]
    scores: dict[int, float]
    terms: list[LexTerm] = field(default_factory=list)
    similarities: dict[int, dict[str, float]] = field(default_factory=dict)


def leg_weights(lang: str, multilingual: bool) -> dict[str, float]:
    weights = dict(LEG_WEIGHTS.get(lang or "mixed", LEG_WEIGHTS["mixed"]))
    if multilingual:
        weights["vector"] = max(weights["vector"], MULTILINGUAL_VECTOR_WEIGHT)
    return weights


def rank(
    session: Session,
    ctx: Context,
    parsed: ParsedQuery,
    conditions: list[ColumnElement[bool]],
    weights: dict[str, float] | None = None,
    *,
    apart: bool | None = None,
) -> Ranking:
    """Run every leg within ``conditions`` and fuse them (``weights`` replaces the language's).
    ``apart``: whether the vector legs may run on a connection of their own (by default, when
    this transaction has written nothing: only it sees what it wrote)."""
    encoder = ctx.encoder()
    multilingual = is_multilingual(encoder.model_name)
    words = query_text(parsed, multilingual)
    if apart is None:
        apart = not _has_written(session)
    lexical, terms, similar = _legs(session, ctx, parsed, words, conditions, apart)
    similarities: dict[int, dict[str, float]] = {}
    for leg, hits in similar.items():
        for asset_id, similarity in hits:
            similarities.setdefault(asset_id, {})[leg] = similarity
    legs: dict[str, list[tuple[int, float]]] = {"fts": lexical, **similar}
    fused = fused_scores(legs, weights or leg_weights(parsed.lang, multilingual), k=RRF_K)
    return Ranking([asset_id for asset_id, _ in fused], dict(fused), terms, similarities)


def _legs(
    session: Session,
    ctx: Context,
    parsed: ParsedQuery,
    words: str,
    conditions: list[ColumnElement[bool]],
    apart: bool,
) -> tuple[list[tuple[int, float]], list[LexTerm], dict[str, list[tuple[int, float]]]]:
    """The full-text leg, planned and run on this session, while the query is embedded (and,
    ``apart``, the vector legs run) in the worker thread; its hits, its terms, and the vector
    legs' hits. The thread starts first: the embedding and the vector walk are the longer path."""
    encoder = ctx.encoder()
    if apart:
        vectors = _embedding.submit(_vector_legs_apart, ctx, encoder, words, conditions)
        lexical, terms = lexical_leg(session, parsed, conditions, LEXICAL_LIMIT)
        return lexical, terms, vectors.result()
    embedding = _embedding.submit(query_vectors.get, encoder, words)
    lexical, terms = lexical_leg(session, parsed, conditions, LEXICAL_LIMIT)
    return lexical, terms, _vector_legs(partial(nearest, session), encoder, embedding.result(), conditions)


def _has_written(session: Session) -> bool:
    return session.execute(_WRITTEN).scalar() is not None


def _vector_legs_apart(
    ctx: Context, encoder, words: str, conditions: list[ColumnElement[bool]]  # noqa: ANN001
) -> dict[str, list[tuple[int, float]]]:
    """The query embedded, then the vector legs run on a connection of their own, all while the
    full-text leg runs on the caller's: the vector search then costs the caller nothing."""
    vector = query_vectors.get(encoder, words)
    return _vector_legs(partial(nearest_apart, ctx.db), encoder, vector, conditions)


def _vector_legs(
    find: Callable[..., list[VectorHit]], encoder, vector, conditions: list[ColumnElement[bool]]  # noqa: ANN001
) -> dict[str, list[tuple[int, float]]]:
    """The nearest assets by text, and by pixels for CLIP models, above their similarity floors,
    found by ``find`` (nearest on a session, or nearest_apart)."""
    sources = [("vector", "text")] + ([("image", "image")] if encoder.supports_images else [])
    legs = {}
    for leg, source in sources:
        model = encoder.model_name
        hits = find(encoder.dimension, model, source, vector, conditions, VECTOR_LIMIT)
        legs[leg] = _kept([(h.asset_id, h.similarity) for h in hits], clip=encoder.supports_images)
    return legs


def _kept(hits: list[tuple[int, float]], *, clip: bool) -> list[tuple[int, float]]:
    if not hits:
        return []
    floor = hits[0][1] - CLIP_MARGIN if clip else max(TEXT_FLOOR, hits[0][1] - TEXT_MARGIN)
    return [(asset_id, similarity) for asset_id, similarity in hits if similarity >= floor]


_ORDER = {
    "newest": (Asset.created_at.desc(), Asset.id.desc()),
    "relevance": (Asset.created_at.desc(), Asset.id.desc()),  # with no words, newest first
    "oldest": (Asset.created_at.asc(), Asset.id.asc()),
    "captured": (Asset.captured_at.desc().nulls_last(), Asset.id.desc()),
}


def _sorted(session: Session, ids: list[int], sort: str) -> list[int]:
    if sort == "relevance" or not ids:
        return ids
    query = select(Asset.id).where(among(ids, "result_ids")).order_by(*_ORDER[sort])
    return list(session.execute(query).scalars())


# Browsing counts its result exactly up to this many assets and beyond says "more than" (as
# Elasticsearch's track_total_hits does, by default at 10 000). An exact count reads every match:
# at 1 000 000 assets the public gallery's (published photos, ~333 000 rows) was a parallel scan
# of the table, 618 ms of each page view where the rest took ~10 ms (bench/results/
# search-bench-1000000.md, "browse … public + photo"). Stopping at the cap reads ~30 000 rows.
BROWSE_COUNT_CAP = 10_000


def _browse(session: Session, conditions: list[ColumnElement[bool]], request: SearchRequest) -> SearchResult:
    """No words: everything the filters keep, in the requested order, counted up to the cap (any
    page, even past it, holds the right hits)."""
    capped = select(Asset.id).where(*conditions).limit(BROWSE_COUNT_CAP + 1).subquery()
    found = session.execute(select(func.count()).select_from(capped)).scalar_one()
    total, exact = min(found, BROWSE_COUNT_CAP), found <= BROWSE_COUNT_CAP
    offset = (request.page - 1) * request.per_page
    ids = list(
        session.execute(
            select(Asset.id)
            .where(*conditions)
            .order_by(*_ORDER[request.sort])
            .offset(offset)
            .limit(request.per_page)
        ).scalars()
    )
    facets = facet_counts(session, conditions) if request.with_facets else {}
    hits = build_hits(session, ids, lang="vi")
    return SearchResult(hits, total, request.page, request.per_page, facets, total_exact=exact)


def search(session: Session, ctx: Context, actor: Actor, request: SearchRequest) -> SearchResult:
    """The page of ``request`` among the assets ``actor`` may see, with the facets of all of them."""
    request.validate()
    conditions = filter_conditions(session, actor, request.filters)
    parsed = parse_query(request.query, thesaurus_for(session))
    if parsed.is_empty:
        return _browse(session, conditions, request)
    apart = not _has_written(session)
    ranking = rank(session, ctx, parsed, conditions, apart=apart)
    ids = _sorted(session, ranking.ids, request.sort)
    counting = _facets.submit(_facets_apart, ctx, ids) if request.with_facets and apart else None
    offset = (request.page - 1) * request.per_page
    lang = request.language or ctx.config.tfdb_language
    hits = build_hits(
        session,
        ids[offset : offset + request.per_page],
        ranking.scores,
        ranking.terms,
        ranking.similarities,
        lang=lang,
    )
    facets: dict[str, list[FacetValue]] = {}
    if counting is not None:
        facets = counting.result()
    elif request.with_facets:
        facets = facets_of(session, ids)
    return SearchResult(hits, len(ids), request.page, request.per_page, facets)


def _facets_apart(ctx: Context, ids: list[int]) -> dict[str, list[FacetValue]]:
    """The result's facets on a connection of their own, while the caller's builds the page."""
    with ctx.db.begin() as session:
        return facets_of(session, ids)


def analyze(session: Session) -> None:
    """Refresh the planner's statistics of the searched tables (the full-text IDF reads them)."""
    from tfdb_dam.services.search_terms import forget_stats

    session.execute(text("ANALYZE assets"))
    session.execute(text("ANALYZE embeddings"))
    forget_stats()


__all__ = [
    "FacetValue",
    "Ranking",
    "SearchFilters",
    "SearchHit",
    "SearchRequest",
    "SearchResult",
    "analyze",
    "leg_weights",
    "more_like_this",
    "rank",
    "search",
    "thesaurus_for",
]
