"""The search tasks: embed assets after they change, and catch up when the embedding model changes."""

from __future__ import annotations

import logging

from procrastinate import JobContext, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued

from tfdb_dam.jobs.queue import app, defer, worker_context
from tfdb_dam.services import reindex
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing import EMBED_TASK
from tfdb_dam.services.indexing_vectors import embed_assets, ensure_vector_index, has_vector_index

CATCH_UP_TASK = "search.catch_up"
_RETRY = RetryStrategy(max_attempts=3, wait=5)
log = logging.getLogger(__name__)


@app.task(name=EMBED_TASK, queue="search", retry=_RETRY, pass_context=True)
def embed(job: JobContext, asset_ids: list[int]) -> int:
    """Vectors of these assets with the configured model (idempotent: rows are replaced)."""
    ctx = worker_context(job)
    encoder = ctx.encoder()
    with ctx.db.begin() as session:
        indexed = has_vector_index(session, encoder.dimension)
    if not indexed:  # a model of a new size: its index first, outside any transaction
        ensure_vector_index(ctx.db, encoder.dimension)
    with ctx.db.begin() as session:
        return embed_assets(session, ctx, asset_ids)


@app.task(name=CATCH_UP_TASK, queue="search", retry=_RETRY, pass_context=True)
def catch_up(job: JobContext) -> int:
    """Every asset without a vector of the configured model (after a model change)."""
    return reindex.catch_up(worker_context(job))


def recover(ctx: Context) -> int:
    """Called when a worker starts: queue a catch-up if the model changed or vectors are missing."""
    if not reindex.needs_catch_up(ctx):
        return 0
    try:
        with ctx.db.begin() as session:
            defer(session, CATCH_UP_TASK, queueing_lock=CATCH_UP_TASK)
    except AlreadyEnqueued:
        return 0
    log.info("Queued a catch-up of the search vectors for %s.", ctx.config.tfdb_embedding_model)
    return 1
