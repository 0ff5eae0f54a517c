"""`tfdb verify` and the crash journal against a real database and real files."""

from __future__ import annotations

import hashlib
import io
import json

from sqlalchemy import select

from tfdb_dam.db.models import Asset, AssetKind, StorageJournal
from tfdb_dam.services import reconcile
from tfdb_dam.services.verify import verify_storage


def _store_asset(ctx, data: bytes, ext: str = "txt") -> Asset:
    staged = ctx.store.stage(io.BytesIO(data), max_bytes=10_000)
    ctx.store.commit_original(staged, ext)
    with ctx.db.begin() as session:
        asset = Asset(kind=AssetKind.document, sha256=staged.sha256, size_bytes=staged.size,
                      mime_type="text/plain", ext=ext, original_filename=f"f.{ext}")
        session.add(asset)
    return asset


def test_clean_store_verifies(ctx):
    _store_asset(ctx, b"one")
    report = verify_storage(ctx)
    assert report.ok and report.assets == 1 and report.files_checked == 1


def test_missing_orphan_and_corrupted_files_are_each_reported(ctx):
    gone = _store_asset(ctx, b"will vanish")
    bad = _store_asset(ctx, b"will be altered")
    ctx.store.original_path(gone.sha256, "txt").unlink()
    ctx.store.original_path(bad.sha256, "txt").write_bytes(b"altered!")
    orphan = ctx.store.commit_original(ctx.store.stage(io.BytesIO(b"nobody's"), max_bytes=100), "txt")
    ctx.store.write_rendition("cd" * 32, "thumb", b"x")
    kinds = sorted(f.kind for f in verify_storage(ctx).findings)
    assert kinds == ["hash_mismatch", "missing_original", "orphan_original", "orphan_rendition"]
    assert orphan.exists(), "verify reports; it never deletes a file it cannot explain"


def test_a_write_interrupted_after_rename_is_settled_not_flagged(ctx):
    # What a kill -9 between "file renamed into place" and "row committed" leaves behind.
    data = b"interrupted import"
    sha = hashlib.sha256(data).hexdigest()
    with ctx.db.engine.begin() as conn:
        reconcile.journal(conn, sha, "txt")
    path = ctx.store.commit_original(ctx.store.stage(io.BytesIO(data), max_bytes=100), "txt")
    report = verify_storage(ctx)
    assert report.ok and report.reconciled == 1
    assert not path.exists()
    with ctx.db.begin() as session:
        assert session.execute(select(StorageJournal)).first() is None


def test_a_journaled_file_whose_row_committed_is_kept(ctx):
    asset = _store_asset(ctx, b"committed just before the crash")
    with ctx.db.engine.begin() as conn:
        reconcile.journal(conn, asset.sha256, "txt")
    assert reconcile.reconcile_storage(ctx) == 1
    assert ctx.store.original_path(asset.sha256, "txt").exists()


def test_a_live_writer_is_never_disturbed(ctx):
    data = b"being written right now"
    sha = hashlib.sha256(data).hexdigest()
    with reconcile.sha_lock(ctx, sha) as conn:
        reconcile.journal(conn, sha, "txt")
        path = ctx.store.commit_original(ctx.store.stage(io.BytesIO(data), max_bytes=100), "txt")
        assert reconcile.reconcile_storage(ctx) == 0
        assert verify_storage(ctx).ok, "an in-flight write is not an orphan"
        assert path.exists()


def test_verify_cli_exit_codes(ctx, tfdb):
    assert tfdb("init").returncode == 0
    ok = tfdb("verify", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    ctx.store.write_rendition("ef" * 32, "thumb", b"x")
    bad = tfdb("verify", "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["findings"][0]["kind"] == "orphan_rendition"
