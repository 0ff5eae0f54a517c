"""Who may set a field: the file < the import < a person; re-processing never undoes an edit."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import corpus_path
from tfdb_dam.db.models import Asset, Category
from tfdb_dam.services import provenance
from tfdb_dam.services.ingest_metadata import ImportMetadata, match_key
from tfdb_dam.services.ingest_process import queue_processing, queue_reprocessing

from .conftest import import_now, run_jobs


def test_import_metadata_outranks_the_file_and_a_persons_edit_survives_reprocessing(ctx, tmp_path):
    xmp = corpus_path("exiftool-samples", "images", "XMP.jpg")
    metadata = ImportMetadata(rows={match_key("XMP.jpg"): {
        "title_en": "Hue Festival opening night", "title_vi": "Đêm khai mạc Festival Huế",
        "tags": "festival; Huế;festival", "category": "van-hoa-di-san", "captured_at": "2024-06-07"}})
    [outcome] = import_now(ctx, [xmp], metadata=metadata)
    with ctx.db.begin() as session:
        asset = session.get(Asset, outcome.asset_id)
        assert asset.title_en == "Hue Festival opening night"  # the file says "Test IPTC picture"
        assert asset.field_sources["title_en"] == "import" and asset.field_sources["credit"] == "file"
        assert {t.name for t in asset.tags} == {"festival", "Huế"}  # the file's keywords lose to the CSV's
        assert session.get(Category, asset.category_id).slug == "van-hoa-di-san"
        assert asset.captured_at.date().isoformat() == "2024-06-07" and asset.captured_tz_offset_min is None
        assert asset.field_sources["captured_at"] == "import"
        provenance.apply_fields(asset, {"credit": "Ảnh: Sở Du lịch", "title_en": None}, provenance.MANUAL)
        asset.usage_terms = "Free for press use with credit"  # as services.metadata edits do
        provenance.claim(asset, "usage_terms", provenance.MANUAL)
    with ctx.db.begin() as session:
        queue_reprocessing(session, [outcome.asset_id])
    run_jobs(ctx)
    with ctx.db.begin() as session:
        asset = session.get(Asset, outcome.asset_id)
        assert asset.processing.value == "ready"
        assert asset.credit == "Ảnh: Sở Du lịch" and asset.field_sources["credit"] == "manual"
        assert asset.title_en is None and asset.field_sources["title_en"] == "manual"  # cleared by a person
        assert asset.usage_terms == "Free for press use with credit"  # the file says "Copyright 2004 …"
        assert asset.title_vi == "Đêm khai mạc Festival Huế" and asset.field_sources["title_vi"] == "import"
        assert asset.camera_model == "FinePix2400Zoom"  # facts are read again


def test_an_orphaned_pending_asset_is_requeued_and_finished(ctx, media_dir):
    from .conftest import patterned

    [outcome] = import_now(ctx, [patterned(media_dir / "a.jpg", seed=5, fmt="JPEG")])
    with ctx.db.begin() as session:  # as if its job had been lost
        asset = session.get(Asset, outcome.asset_id)
        asset.processing = asset.processing.__class__("pending")
    from tfdb_dam.jobs import ingest_tasks

    assert ingest_tasks.recover(ctx) == 1  # what every worker does when it starts
    run_jobs(ctx)
    with ctx.db.begin() as session:
        assert session.get(Asset, outcome.asset_id).processing.value == "ready"
        assert session.execute(select(Asset.id)).scalars().all() == [outcome.asset_id]
    assert queue_processing  # the same helper import paths use
