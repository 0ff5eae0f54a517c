"""Photos of every accepted format become complete, searchable assets with their metadata."""

from __future__ import annotations

import datetime as dt

import pillow_heif
import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational
from sqlalchemy import select

from tfdb_dam.db.models import Asset, AuditEntry, Embedding, ReviewEvent
from tfdb_dam.services.ingest_renditions import ensure_rendition
from tfdb_dam.services.verify import verify_storage

from .conftest import by_name, import_now, patterned

pillow_heif.register_heif_opener()
FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "tif": "TIFF", "webp": "WEBP", "heic": "HEIF"}


def test_every_photo_format_becomes_a_complete_searchable_asset(ctx, media_dir):
    paths = [patterned(media_dir / f"photo.{ext}", seed=i, fmt=fmt) for i, (ext, fmt) in enumerate(FORMATS.items())]
    outcomes = by_name(import_now(ctx, paths))
    assert {name: o.status for name, o in outcomes.items()} == {p.name: "imported" for p in paths}
    with ctx.db.begin() as session:
        for path in paths:
            asset = session.get(Asset, outcomes[path.name].asset_id)
            assert (asset.kind.value, asset.status.value, asset.processing.value) == ("photo", "draft", "ready")
            assert (asset.width, asset.height, asset.ext) == (320, 240, path.suffix[1:])
            assert {r.name for r in asset.renditions} == {"thumb", "preview"}
            thumb = next(r for r in asset.renditions if r.name == "thumb")
            assert max(thumb.width, thumb.height) <= 512
            assert ctx.store.rendition_path(asset.sha256, "thumb").is_file()
            assert ctx.store.original_path(asset.sha256, asset.ext).is_file()
            assert asset.phash and len(asset.phash) == 16
            events = session.execute(select(ReviewEvent).where(ReviewEvent.asset_id == asset.id)).scalars().all()
            assert [(e.action, e.to_status) for e in events] == [("import", "draft")]
            actions = session.execute(select(AuditEntry.action).where(
                AuditEntry.object_id == str(asset.id), AuditEntry.object_type == "asset")).scalars().all()
            assert actions[:1] == ["asset.create"] and "asset.process" in actions
            assert session.execute(select(Embedding).where(Embedding.asset_id == asset.id)).first()
        first = session.get(Asset, outcomes["photo.jpg"].asset_id)
        thumb_path, preview = ctx.store.rendition_path(first.sha256, "thumb"), first.renditions
    assert verify_storage(ctx).ok
    thumb_path.unlink()
    assert [f.kind for f in verify_storage(ctx).findings] == ["missing_rendition"]
    assert ensure_rendition(ctx, first.id, "thumb") == thumb_path and thumb_path.stat().st_size > 0
    assert verify_storage(ctx).ok and preview


def _camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Canon", "Canon EOS 5D", 6
    exif[0x010E] = "Cầu Trường Tiền lúc hoàng hôn".encode("utf-8")
    exif[0x013B] = "Nguyễn Văn An".encode("utf-8")
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003], ifd[0x9011] = "2024:05:18 14:30:00", "+07:00"
    ifd[0x829A], ifd[0x829D], ifd[0x8827] = IFDRational(1, 250), IFDRational(56, 10), 200
    ifd[0xA434] = "EF24-70mm f/2.8L USM"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (IFDRational(33, 1), IFDRational(51, 1), IFDRational(36, 1))
    gps[3], gps[4] = "W", (IFDRational(151, 1), IFDRational(12, 1), IFDRational(0, 1))
    gps[5], gps[6] = b"\x00", IFDRational(58, 1)
    return exif


def test_exif_fills_the_columns_with_gps_in_signed_decimal_degrees(ctx, media_dir):
    path = patterned(media_dir / "camera.jpg", seed=7, size=(64, 48), fmt="JPEG", exif=_camera_exif())
    [outcome] = import_now(ctx, [path])
    with ctx.db.begin() as session:
        asset = session.get(Asset, outcome.asset_id)
        assert (asset.camera_make, asset.camera_model, asset.lens) == ("Canon", "Canon EOS 5D", "EF24-70mm f/2.8L USM")
        assert asset.exposure == {"exposure_time": "1/250", "f_number": 5.6, "iso": 200}
        assert (asset.orientation, asset.width, asset.height) == (6, 48, 64)  # as displayed
        assert asset.captured_at == dt.datetime(2024, 5, 18, 7, 30, tzinfo=dt.timezone.utc)
        assert asset.captured_tz_offset_min == 420
        assert (asset.gps_lat, asset.gps_lon, asset.gps_alt) == (pytest.approx(-33.86), pytest.approx(-151.2), 58)
        assert asset.description_vi == "Cầu Trường Tiền lúc hoàng hôn" and asset.description_en is None
        assert asset.credit == "Nguyễn Văn An"
        assert {asset.field_sources[f] for f in ("gps_lat", "captured_at", "description_vi", "credit")} == {"file"}
        assert asset.exif["Image Make"] == "Canon"


def test_iptc_and_xmp_become_suggestions_from_the_file(ctx, media_dir):
    iptc = pytest.importorskip("tests.conftest").corpus_path("exiftool-samples", "images", "IPTC.jpg")
    xmp = iptc.with_name("XMP.jpg")
    outcomes = by_name(import_now(ctx, [iptc, xmp]))
    with ctx.db.begin() as session:
        from_iptc = session.get(Asset, outcomes["IPTC.jpg"].asset_id)
        assert from_iptc.description_en == "A witty caption" and from_iptc.credit == "Phil Harvey"
        from_xmp = session.get(Asset, outcomes["XMP.jpg"].asset_id)
        assert from_xmp.title_en == "Test IPTC picture"
        assert from_xmp.usage_terms == "Copyright 2004 Phil Harvey"
        assert {t.name for t in from_xmp.tags} == {"ExifTool", "Test", "XMP"}
        assert from_xmp.field_sources["tags"] == from_xmp.field_sources["title_en"] == "file"


def test_a_malformed_exif_block_keeps_the_photo_and_says_so(ctx, media_dir):
    from tests.conftest import corpus_path

    path = corpus_path("exif-samples", "jpg", "tests", "30-type_error.jpg")
    [outcome] = import_now(ctx, [path])
    assert outcome.status == "imported"
    with ctx.db.begin() as session:
        asset = session.get(Asset, outcome.asset_id)
        assert "The EXIF block is malformed; its unreadable tags were skipped." in asset.notes
        assert asset.renditions
