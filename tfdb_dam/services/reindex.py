"""Rebuilding search for the whole library: documents, vocabulary, vectors, and catching up after
the embedding model changes (new vectors for every asset, the old model's dropped at the end)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, text

from tfdb_dam.db.models import Asset
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing import (
    assets_missing_vectors,
    drop_other_models,
    rebuild_vocabulary,
    refresh_documents,
)
from tfdb_dam.services.indexing_vectors import embed_assets, ensure_vector_index

log = logging.getLogger(__name__)


@dataclass
class ReindexReport:
    assets: int
    vectors: int
    terms: int
    model: str
    dimension: int
    configured_model: str
    searchable: bool  # the vectors are of the model search uses


def _context_for(ctx: Context, model: str | None) -> Context:
    """``ctx`` itself, or a Context sharing its database whose encoder is ``model``."""
    if not model or model.strip() == ctx.config.tfdb_embedding_model.strip():
        return ctx
    from tfdb_dam.embeddings import load_encoder

    return Context(config=ctx.config, db=ctx.db, store=ctx.store, _encoder=load_encoder(model))


def _analyze(ctx: Context) -> None:
    from tfdb_dam.services.search import analyze

    with ctx.db.begin() as session:
        analyze(session)


def reindex_all(
    ctx: Context,
    *,
    model: str | None = None,
    batch: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexReport:
    """Documents and vectors of every asset, batch by batch (each batch its own transaction)."""
    work = _context_for(ctx, model)
    encoder = work.encoder()
    searchable = work is ctx
    ensure_vector_index(ctx.db, encoder.dimension)
    with ctx.db.begin() as session:
        ids = list(session.execute(select(Asset.id).order_by(Asset.id)).scalars())
    vectors = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with ctx.db.begin() as session:
            refresh_documents(session, chunk)
            vectors += embed_assets(session, work, chunk, keep_other_models=not searchable)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    with ctx.db.begin() as session:
        terms = rebuild_vocabulary(session)
        if searchable:
            drop_other_models(session, encoder.model_name)
    _analyze(ctx)
    return ReindexReport(
        len(ids),
        vectors,
        terms,
        encoder.model_name,
        encoder.dimension,
        ctx.config.tfdb_embedding_model,
        searchable,
    )


def catch_up(ctx: Context, *, batch: int = 32) -> int:
    """Embed every asset that has no vector of the configured model (after a model change, or
    jobs lost); then drop other models' vectors. Returns how many assets were embedded."""
    encoder = ctx.encoder()
    ensure_vector_index(ctx.db, encoder.dimension)
    done, after = 0, 0
    while True:
        with ctx.db.begin() as session:
            ids = assets_missing_vectors(session, encoder.model_name, after_id=after, limit=batch)
            if not ids:
                break
            embed_assets(session, ctx, ids)
        done += len(ids)
        after = ids[-1]
    with ctx.db.begin() as session:
        dropped = drop_other_models(session, encoder.model_name)
    if done or dropped:
        log.info("Embedded %d asset(s) with %s; dropped %d old vector(s).", done, encoder.model_name, dropped)
        _analyze(ctx)
    return done


def needs_catch_up(ctx: Context) -> bool:
    """Whether some asset lacks a vector of the configured model (cheap: no model is loaded)."""
    model = ctx.config.tfdb_embedding_model.strip()
    with ctx.db.begin() as session:
        missing = session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM assets a WHERE a.processing <> 'pending' AND NOT EXISTS ("
                "SELECT 1 FROM embeddings e "
                "WHERE e.asset_id = a.id AND e.source = 'text' AND e.model = :m)) "
                "OR EXISTS (SELECT 1 FROM embeddings WHERE model <> :m)"
            ),
            {"m": model},
        ).scalar()
    return bool(missing)
