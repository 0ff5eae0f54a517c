"""The only code that knows file paths: content-addressed originals and their renditions.

Layout under the data root::

    originals/ab/cd/<sha256>.<ext>
    renditions/ab/cd/<sha256>_<rendition>.jpg
    tmp/<random>.part           (staging; same filesystem, so rename is atomic)

No path is ever built from user input: only from a SHA-256 we computed and names we validate.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tfdb_dam.errors import RejectedFile, StorageError
from tfdb_dam.messages import Message, word

_SHA = re.compile(r"^[0-9a-f]{64}$")
_EXT = re.compile(r"^[a-z0-9]{1,5}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
CHUNK = 1024 * 1024
# The store's top folders: only the account the app, API and workers run as may enter them.
STORE_FOLDER_MODE = 0o700


@dataclass(frozen=True)
class StagedFile:
    """A fully written, fsynced temporary copy of an incoming file and its digest."""

    path: Path
    sha256: str
    size: int


def _check(pattern: re.Pattern[str], value: str, what: Message) -> str:
    if not pattern.match(value):
        raise StorageError("storage.invalid_path_part", what=what, value=repr(value))
    return value


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.originals = root / "originals"
        self.renditions = root / "renditions"
        self.tmp = root / "tmp"
        for folder in (self.originals, self.renditions, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
            # Unpublished originals must not be readable by other accounts on the host: closing
            # the top folders closes everything below, including stores made before this rule.
            folder.chmod(STORE_FOLDER_MODE)

    # --- paths -----------------------------------------------------------------------------
    def original_path(self, sha256: str, ext: str) -> Path:
        _check(_SHA, sha256, word("word.sha256"))
        _check(_EXT, ext, word("word.extension"))
        return self.originals / sha256[:2] / sha256[2:4] / f"{sha256}.{ext}"

    def rendition_path(self, sha256: str, name: str) -> Path:
        _check(_SHA, sha256, word("word.sha256"))
        _check(_NAME, name, word("word.rendition_name"))
        return self.renditions / sha256[:2] / sha256[2:4] / f"{sha256}_{name}.jpg"

    # --- writing ---------------------------------------------------------------------------
    def stage(self, source: BinaryIO, *, max_bytes: int) -> StagedFile:
        """Stream ``source`` to a temporary file, hashing as it goes; never holds it whole."""
        temp = self.tmp / f"{secrets.token_hex(12)}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with temp.open("xb") as out:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise RejectedFile("file.larger_than_limit", limit=max_bytes // (1024 * 1024))
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StagedFile(temp, digest.hexdigest(), size)

    def stage_path(self, path: Path, *, max_bytes: int) -> StagedFile:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise RejectedFile("file.unreadable_because", reason=exc.strerror) from exc
        if size > max_bytes:
            raise RejectedFile("file.larger_than_limit", limit=max_bytes // (1024 * 1024))
        with path.open("rb") as fh:
            return self.stage(fh, max_bytes=max_bytes)

    def discard(self, staged: StagedFile) -> None:
        staged.path.unlink(missing_ok=True)

    def commit_original(self, staged: StagedFile, ext: str) -> Path:
        """Move a staged file to its content address (atomic rename, directory fsynced)."""
        final = self.original_path(staged.sha256, ext)
        self._make_dirs(final.parent)
        if final.exists() and hash_file(final) == staged.sha256:
            self.discard(staged)  # the same content is already stored
            return final
        os.replace(staged.path, final)  # new, or replacing a damaged copy with a good one
        _fsync_dir(final.parent)
        return final

    def _make_dirs(self, folder: Path) -> None:
        """Create shard folders durably: a rename into a folder whose own entry was never
        fsynced can vanish on power loss even though the database row survives."""
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir(exist_ok=True)
            _fsync_dir(path.parent)

    def write_rendition(self, sha256: str, name: str, data: bytes) -> Path:
        final = self.rendition_path(sha256, name)
        self._make_dirs(final.parent)
        temp = self.tmp / f"{secrets.token_hex(12)}.part"
        try:
            with temp.open("xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return final

    # --- deleting (call only after the forgetting transaction committed) -------------------
    def delete_files(self, sha256: str, ext: str) -> None:
        self.original_path(sha256, ext).unlink(missing_ok=True)
        for path in self.renditions_of(sha256):
            path.unlink(missing_ok=True)

    def delete_rendition(self, sha256: str, name: str) -> None:
        self.rendition_path(sha256, name).unlink(missing_ok=True)

    # --- reading ---------------------------------------------------------------------------
    def renditions_of(self, sha256: str) -> list[Path]:
        _check(_SHA, sha256, word("word.sha256"))
        folder = self.renditions / sha256[:2] / sha256[2:4]
        return sorted(folder.glob(f"{sha256}_*.jpg")) if folder.is_dir() else []

    def iter_originals(self) -> Iterator[tuple[str, str, Path]]:
        for path in self.originals.glob("??/??/*.*"):
            sha, _, ext = path.name.partition(".")
            if _SHA.match(sha):
                yield sha, ext, path

    def iter_renditions(self) -> Iterator[tuple[str, str, Path]]:
        for path in self.renditions.glob("??/??/*.jpg"):
            sha, _, name = path.stem.partition("_")
            if _SHA.match(sha):
                yield sha, name, path

    def cleanup_stale_staging(self, older_than_s: float = 6 * 3600) -> int:
        """Remove staging files left by killed processes; young ones may belong to live imports."""
        cutoff, removed = time.time() - older_than_s, 0
        for path in self.tmp.glob("*.part"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
