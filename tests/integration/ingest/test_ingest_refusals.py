"""Bad input is refused with one sentence each, and leaves nothing on disk or in the database."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select, text

from tfdb_dam.db.models import Asset, AuditEntry, StorageJournal
from tfdb_dam.services.verify import verify_storage

from .conftest import by_name, import_now, make_video, patterned, stored_files


def _bad_files(folder):
    (folder / "empty.jpg").write_bytes(b"")
    good = patterned(folder / "whole.jpg", seed=3, size=(400, 300), fmt="JPEG", quality=95).read_bytes()
    (folder / "whole.jpg").unlink()
    (folder / "cut-header.jpg").write_bytes(good[:120])
    (folder / "cut-scan.jpg").write_bytes(good[: len(good) * 2 // 3])  # only decoding can tell
    (folder / "page.jpg").write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    (folder / "program.jpg").write_bytes(b"MZ\x90\x00" + b"\x00" * 400)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inside.txt", "hello")
    (folder / "archive.jpg").write_bytes(archive.getvalue())
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>')
    patterned(folder / "bomb.png", seed=4, size=(1500, 1000), fmt="PNG")
    (folder / "huge.txt").write_bytes(b"a" * (1024 * 1024 + 10))
    video = make_video(folder / "clip.mp4", seconds=2).read_bytes()
    (folder / "cut.mp4").write_bytes(video[: len(video) // 3])  # the index (moov) sits at the end
    (folder / "clip.mp4").unlink()
    make_video(folder / "bigframe.mkv", seconds=1, size="320x240")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage that is no PDF at all \n%%EOF")


EXPECTED = {  # file -> words the one-sentence reason must contain
    "empty.jpg": "empty",
    "cut-header.jpg": "truncated",
    "cut-scan.jpg": "truncated or corrupt",
    "page.jpg": "says .jpg but its content is an HTML page",
    "program.jpg": "says .jpg but its content is a program",
    "archive.jpg": "says .jpg but its content is an archive",
    "drawing.svg": "SVG",
    "bomb.png": "decompression bomb",
    "huge.txt": "limit of 1",
    "cut.mp4": "video is truncated or corrupt",
    "bigframe.mkv": "above the limit",
    "broken.pdf": "PDF is damaged",
}


def test_each_bad_file_is_refused_with_a_reason_and_leaves_nothing(ctx, media_dir):
    ctx.config = ctx.config.replace(tfdb_max_upload_mb=1, tfdb_max_image_pixels=1_000_000,
                                    tfdb_max_video_pixels=50_000)
    _bad_files(media_dir)
    outcomes = by_name(import_now(ctx, sorted(media_dir.iterdir())))
    assert set(outcomes) == set(EXPECTED)
    for name, words in EXPECTED.items():
        outcome = outcomes[name]
        assert (outcome.status, outcome.asset_id) == ("rejected", None), name
        assert words in outcome.error and outcome.error.endswith("."), (name, outcome.error)
    with ctx.db.begin() as session:
        assert session.execute(select(func.count()).select_from(Asset)).scalar() == 0
        assert session.execute(select(func.count()).select_from(StorageJournal)).scalar() == 0
        discarded = session.execute(select(AuditEntry.details["filename"].astext).where(
            AuditEntry.action == "asset.discard")).scalars().all()
        assert set(discarded) >= {"cut-scan.jpg", "bomb.png", "bigframe.mkv", "broken.pdf"}
        assert session.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded' "
                                    "AND task_name LIKE 'ingest.%'")).scalar() == 0
    assert stored_files(ctx) == []
    assert verify_storage(ctx).ok


def test_a_file_that_cannot_be_processed_is_retried_then_refused_never_half_made(ctx, media_dir):
    import pytest

    from tfdb_dam.services.actors import SYSTEM
    from tfdb_dam.services.ingest import Importer
    from tfdb_dam.services.ingest_process import process_assets

    importer = Importer(ctx, SYSTEM)
    importer.add(patterned(media_dir / "lost.jpg", seed=8, fmt="JPEG"))
    [queued] = importer.flush()
    with ctx.db.begin() as session:
        asset = session.get(Asset, queued.asset_id)
        ctx.store.original_path(asset.sha256, asset.ext).unlink()  # the disk lost it meanwhile
    with pytest.raises(FileNotFoundError):  # not the last try: the queue will retry
        process_assets(ctx, [queued.asset_id], final_attempt=False)
    assert process_assets(ctx, [queued.asset_id], final_attempt=True) == {"ready": 0, "refused": 1, "skipped": 0}
    with ctx.db.begin() as session:
        assert session.get(Asset, queued.asset_id) is None
        reason = session.execute(select(AuditEntry.details["reason"].astext).where(
            AuditEntry.action == "asset.discard")).scalar_one()
    assert reason.startswith("The file could not be processed (FileNotFoundError")
    assert stored_files(ctx) == [] and verify_storage(ctx).ok
