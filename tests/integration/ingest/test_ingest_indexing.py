"""Vectors of imported assets are made once, by their processing job, never by a catch-up beforehand."""

from __future__ import annotations

from sqlalchemy import func, select, text

from tfdb_dam.db.models import Embedding
from tfdb_dam.services import reindex
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.indexing import assets_missing_vectors
from tfdb_dam.services.ingest import Importer

from .conftest import patterned, run_jobs


def test_a_catch_up_leaves_pending_assets_to_their_processing_job(ctx, media_dir):
    importer = Importer(ctx, SYSTEM)
    for seed in range(3):
        importer.add(patterned(media_dir / f"{seed}.jpg", seed=seed, fmt="JPEG"))
    queued = importer.flush()
    model = ctx.encoder().model_name
    assert [o.status for o in queued] == ["queued"] * 3
    with ctx.db.begin() as session:  # stored, not processed yet: as a worker starting mid-import sees it
        assert assets_missing_vectors(session, model) == []
    assert not reindex.needs_catch_up(ctx)
    assert reindex.catch_up(ctx) == 0
    run_jobs(ctx)
    with ctx.db.begin() as session:
        assert session.scalar(select(func.count()).select_from(Embedding)) == 3  # one text vector each
        session.execute(text("DELETE FROM embeddings WHERE asset_id = :id"), {"id": queued[0].asset_id})
        assert assets_missing_vectors(session, model) == [queued[0].asset_id]  # ready and missing: caught up
