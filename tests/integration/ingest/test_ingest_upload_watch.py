"""The web app's way in (ingest_upload) and the hot folder (watch_folder)."""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
import time

import pytest

from tfdb_dam.db.models import Asset, Role
from tfdb_dam.errors import PermissionDenied, ValidationError
from tfdb_dam.services import users
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.ingest import ingest_upload
from tfdb_dam.services.ingest_run import watch_folder
from tfdb_dam.services.ingest_wait import outcome_of

from .conftest import patterned, run_jobs, stored_files


def _actor(ctx, name, role):
    with ctx.db.begin() as session:
        users.create_user(session, SYSTEM, username=name, role=role, password="long-enough-pw")
        return users.actor_for(session, name)


def test_an_upload_returns_at_once_and_finishes_in_the_background(ctx, tmp_path):
    contributor = _actor(ctx, "hoa", Role.contributor)
    data = patterned(tmp_path / "x.jpg", seed=21, fmt="JPEG").read_bytes()
    queued = ingest_upload(ctx, contributor, "Kinh thành.jpg", io.BytesIO(data),
                           {"title_vi": "Kinh thành Huế", "tags": "di sản; Huế", "category": "du-lich"})
    assert queued.status == "queued" and outcome_of(ctx, queued.asset_id).status == "queued"
    cut = ingest_upload(ctx, contributor, "cut.jpg", io.BytesIO(data[: len(data) * 2 // 3]))
    page = ingest_upload(ctx, contributor, "page.jpg", io.BytesIO(b"<html><script>1</script></html>"))
    assert page.status == "rejected" and "HTML" in page.error
    run_jobs(ctx)
    assert outcome_of(ctx, queued.asset_id).status == "imported"
    refused = outcome_of(ctx, cut.asset_id)
    assert refused.status == "rejected" and "truncated or corrupt" in refused.error
    with ctx.db.begin() as session:
        asset = session.get(Asset, queued.asset_id)
        assert asset.created_by_id == contributor.user_id and asset.original_filename == "Kinh thành.jpg"
        assert asset.field_sources["title_vi"] == "manual" and {t.name for t in asset.tags} == {"di sản", "Huế"}
    assert len([p for p in stored_files(ctx) if "originals" in p.parts]) == 1
    again = ingest_upload(ctx, contributor, "again.jpg", io.BytesIO(data))
    assert (again.status, again.asset_id) == ("duplicate", queued.asset_id)


def test_uploads_check_the_role_and_the_metadata_first(ctx):
    viewer = _actor(ctx, "xem", Role.viewer)
    with pytest.raises(PermissionDenied):
        ingest_upload(ctx, viewer, "a.jpg", io.BytesIO(b"x"))
    with pytest.raises(ValidationError):
        ingest_upload(ctx, SYSTEM, "a.jpg", io.BytesIO(b"x"), {"colour": "red"})
    with pytest.raises(ValidationError):
        ingest_upload(ctx, SYSTEM, "a.jpg", io.BytesIO(b"x"), {"category": "no-such-area"})
    assert stored_files(ctx) == []


def test_a_watched_folder_imports_settled_files_once_and_changes_nothing(ctx, tmp_path):
    folder = tmp_path / "hot"
    folder.mkdir()
    patterned(folder / "before.jpg", seed=31, fmt="JPEG")
    data = patterned(tmp_path / "later.jpg", seed=32, size=(800, 600), fmt="JPEG").read_bytes()
    stop, outcomes = threading.Event(), []
    watcher = threading.Thread(target=lambda: outcomes.extend(
        watch_folder(ctx, SYSTEM, folder, settle_s=1.0, workers=0, stop=stop)))
    watcher.start()
    try:
        with (folder / "later.jpg").open("wb") as fh:  # arrives in two writes, like a slow copy
            fh.write(data[: len(data) // 2])
            fh.flush()
            time.sleep(0.4)
            fh.write(data[len(data) // 2:])
        _wait(lambda: _count(ctx) == 2)
        shutil.copy(folder / "later.jpg", folder / "copy.jpg")
        (folder / "partial.jpg.part").write_bytes(data[:100])  # a download in progress: left alone
        time.sleep(2.5)
        run_jobs(ctx)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert sorted((o.path.rsplit("/", 1)[1], o.status) for o in outcomes) == [
        ("before.jpg", "imported"), ("copy.jpg", "duplicate"), ("later.jpg", "imported")]
    with ctx.db.begin() as session:
        shas = {a.sha256 for a in session.query(Asset)}
    assert hashlib.sha256(data).hexdigest() in shas  # the whole file, not the half first seen
    assert sorted(p.name for p in folder.iterdir()) == ["before.jpg", "copy.jpg", "later.jpg", "partial.jpg.part"]


def _count(ctx) -> int:
    with ctx.db.begin() as session:
        return session.query(Asset).count()


def _wait(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
