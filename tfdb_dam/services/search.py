"""Search: a query in Vietnamese (accents or not) or English, filters and facets, within what the
searcher may see; hits ranked by fusing the full-text leg with the vector legs, each hit explained.

How a query runs: NFC, folding and thesaurus expansion (``search.query``) → the full-text leg
(``search_lexical``) and the vector legs (``search_vector``), each already restricted by the
filters and the visibility rule → weighted reciprocal rank fusion (``search.fusion``) with weights
chosen by the query's language → the page, its reasons, and the facets of the whole result.
The query is embedded in a worker thread while PostgreSQL runs the full-text leg: on two cores
the model and the database then each have one.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Category, ThesaurusTerm
from tfdb_dam.search.fusion import fuse
from tfdb_dam.search.query import ParsedQuery, parse_query
from tfdb_dam.search.thesaurus import Entry, Thesaurus
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.search_facets import facet_counts
from tfdb_dam.services.search_filters import among, filter_conditions
from tfdb_dam.services.search_lexical import LexTerm, lexical_leg
from tfdb_dam.services.search_reasons import build_hits
from tfdb_dam.services.search_similar import more_like_this
from tfdb_dam.services.search_types import (
    FACET_KEYS,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from tfdb_dam.services.search_vector import is_multilingual, nearest, query_text, query_vectors

LEXICAL_LIMIT = 1000  # the result set: at most this many full-text matches …
VECTOR_LIMIT = 50  # … plus this many nearest neighbours per vector leg, above a similarity floor
# Which neighbours join the result. Sentence models give unrelated passages a cosine below ~0.3;
# CLIP-style similarities sit in a narrow band whatever the model, so there only the neighbours
# close to the best one are kept.
TEXT_FLOOR, CLIP_MARGIN = 0.30, 0.10
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
_embedding = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tfdb-query-embedding")


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


_thesauri: dict[tuple[str, str], Thesaurus] = {}
_thesauri_lock = threading.Lock()


def thesaurus_for(session: Session) -> Thesaurus:
    """The built-in thesaurus plus the administrators' terms and the category labels (cached
    until any of them changes)."""
    admin = session.execute(
        select(ThesaurusTerm.terms_vi, ThesaurusTerm.terms_en, Category.slug)
        .outerjoin(Category, Category.id == ThesaurusTerm.category_id)
        .order_by(ThesaurusTerm.id)
    ).all()
    labels = session.execute(
        select(Category.label_vi, Category.label_en, Category.slug).order_by(Category.id)
    ).all()
    signature = hashlib.sha256(repr((admin, labels)).encode("utf-8")).hexdigest()
    key = (str(session.get_bind().url), signature)
    with _thesauri_lock:
        if key not in _thesauri:
            extra = [Entry.of(vi or [], en or [], slug) for vi, en, slug in admin]
            extra += [Entry.of([vi], [en], slug) for vi, en, slug in labels]
            _thesauri.clear()  # one database per process in practice; tests use many
            _thesauri[key] = Thesaurus.builtin().extended(extra)
        return _thesauri[key]


def rank(
    session: Session,
    ctx: Context,
    parsed: ParsedQuery,
    conditions: list[ColumnElement[bool]],
    weights: dict[str, float] | None = None,
) -> Ranking:
    """Run every leg within ``conditions`` and fuse them (``weights`` replaces the language's)."""
    encoder = ctx.encoder()
    multilingual = is_multilingual(encoder.model_name)
    embedding = _embedding.submit(query_vectors.get, encoder, query_text(parsed, multilingual))
    lexical, terms = lexical_leg(session, parsed, conditions, LEXICAL_LIMIT)
    vector = embedding.result()
    legs: dict[str, list[tuple[int, float]]] = {"fts": lexical}
    similarities: dict[int, dict[str, float]] = {}
    sources = [("vector", "text")] + ([("image", "image")] if encoder.supports_images else [])
    for leg, source in sources:
        hits = nearest(
            session, encoder.dimension, encoder.model_name, source, vector, conditions, VECTOR_LIMIT
        )
        legs[leg] = _kept([(h.asset_id, h.similarity) for h in hits], clip=encoder.supports_images)
        for asset_id, similarity in legs[leg]:
            similarities.setdefault(asset_id, {})[leg] = similarity
    fused = fuse(legs, weights or leg_weights(parsed.lang, multilingual), k=RRF_K, explain=False)
    return Ranking([h.asset_id for h in fused], {h.asset_id: h.score for h in fused}, terms, similarities)


def _kept(hits: list[tuple[int, float]], *, clip: bool) -> list[tuple[int, float]]:
    if not hits:
        return []
    floor = hits[0][1] - CLIP_MARGIN if clip else TEXT_FLOOR
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


def _browse(session: Session, conditions: list[ColumnElement[bool]], request: SearchRequest) -> SearchResult:
    """No words: everything the filters keep, in the requested order."""
    total = session.execute(select(func.count()).select_from(Asset).where(*conditions)).scalar_one()
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
    return SearchResult(build_hits(session, ids, lang="vi"), total, request.page, request.per_page, facets)


def search(session: Session, ctx: Context, actor: Actor, request: SearchRequest) -> SearchResult:
    """The page of ``request`` among the assets ``actor`` may see, with the facets of all of them."""
    request.validate()
    conditions = filter_conditions(session, actor, request.filters)
    parsed = parse_query(request.query, thesaurus_for(session))
    if parsed.is_empty:
        return _browse(session, conditions, request)
    ranking = rank(session, ctx, parsed, conditions)
    ids = _sorted(session, ranking.ids, request.sort)
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
    if request.with_facets:
        facets = facet_counts(session, [among(ids, "result_ids")]) if ids else {key: [] for key in FACET_KEYS}
    return SearchResult(hits, len(ids), request.page, request.per_page, facets)


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
