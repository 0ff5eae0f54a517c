"""The file store: content addresses, atomic writes, no path from user input."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tfdb_dam.errors import RejectedFile, StorageError
from tfdb_dam.storage import FileStore, hash_file


def test_originals_are_sharded_by_sha256(tmp_path):
    store = FileStore(tmp_path)
    data = b"hello hue"
    staged = store.stage(io.BytesIO(data), max_bytes=1024)
    sha = hashlib.sha256(data).hexdigest()
    assert staged.sha256 == sha and staged.size == len(data)
    final = store.commit_original(staged, "txt")
    assert final == tmp_path / "originals" / sha[:2] / sha[2:4] / f"{sha}.txt"
    assert final.read_bytes() == data and not staged.path.exists()
    assert hash_file(final) == sha
    assert list(store.iter_originals()) == [(sha, "txt", final)]


def test_committing_the_same_content_twice_keeps_one_file(tmp_path):
    store = FileStore(tmp_path)
    first = store.commit_original(store.stage(io.BytesIO(b"x" * 10), max_bytes=100), "bin")
    second_staged = store.stage(io.BytesIO(b"x" * 10), max_bytes=100)
    assert store.commit_original(second_staged, "bin") == first
    assert not second_staged.path.exists()
    assert len(list(store.tmp.iterdir())) == 0


def test_oversized_stream_is_refused_and_leaves_nothing(tmp_path):
    store = FileStore(tmp_path)
    with pytest.raises(RejectedFile, match="larger than the limit"):
        store.stage(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), max_bytes=2 * 1024 * 1024)
    assert list(store.tmp.iterdir()) == []


@pytest.mark.parametrize("sha, ext", [
    ("../../etc/passwd", "jpg"),
    ("a" * 64, "../x"),
    ("A" * 64, "jpg"),
    ("a" * 63, "jpg"),
])
def test_paths_never_come_from_unvalidated_input(tmp_path, sha, ext):
    with pytest.raises(StorageError):
        FileStore(tmp_path).original_path(sha, ext)


def test_renditions_sit_beside_originals_named_by_spec(tmp_path):
    store = FileStore(tmp_path)
    sha = "ab" * 32
    path = store.write_rendition(sha, "thumb", b"jpegbytes")
    assert path == tmp_path / "renditions" / "ab" / "ab" / f"{sha}_thumb.jpg"
    assert store.renditions_of(sha) == [path]
    with pytest.raises(StorageError):
        store.rendition_path(sha, "../evil")
    store.delete_files(sha, "jpg")
    assert store.renditions_of(sha) == []


def test_stale_staging_files_are_cleaned_but_young_ones_kept(tmp_path):
    import os
    import time

    store = FileStore(tmp_path)
    old, young = store.tmp / "old.part", store.tmp / "young.part"
    old.write_bytes(b"1")
    young.write_bytes(b"2")
    past = time.time() - 7 * 3600
    os.utime(old, (past, past))
    assert store.cleanup_stale_staging() == 1
    assert not old.exists() and young.exists()


def test_other_accounts_on_the_host_cannot_enter_the_store():
    """Unpublished originals stay private to the service's account, in new stores and in stores
    whose folders an older version created open (0755)."""
    root = Path(tempfile.mkdtemp(prefix="tfdb-store-"))  # in /tmp: other accounts may reach it
    try:
        root.chmod(0o755)
        (root / "originals").mkdir(mode=0o755)
        store = FileStore(root)
        final = store.commit_original(store.stage(io.BytesIO(b"embargoed"), max_bytes=100), "txt")
        for folder in ("originals", "renditions", "tmp"):
            assert stat.S_IMODE((root / folder).stat().st_mode) == 0o700
        assert final.read_bytes() == b"embargoed"
        if os.geteuid() == 0:  # only root can try it as another account
            other = subprocess.run(["cat", str(final)], user="nobody", capture_output=True, text=True)
            assert other.returncode != 0 and "Permission denied" in other.stderr
    finally:
        shutil.rmtree(root)
