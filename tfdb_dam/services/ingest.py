"""Ingest: every incoming file becomes a complete asset or is refused with a reason, never half of one.

The way in, for `tfdb import`, `tfdb watch` and the web app: the type is decided from the
content (media.sniff), the file is streamed to staging while hashed (never held whole), stored
crash-safely as a pending asset with its processing job (ingest_store), and processed in the
background (ingest_process). Outcomes known at once (refusals, duplicates) come back at once;
the rest arrive through ingest_wait when their job finishes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from tfdb_dam.errors import RejectedFile, ValidationError
from tfdb_dam.messages import msg
from tfdb_dam.media import FileType, run_with_time_limit, sniff
from tfdb_dam.services import provenance
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest_metadata import CSV_COLUMNS, ImportMetadata, category_id, check_values
from tfdb_dam.services.ingest_process import GROUP_SIZE
from tfdb_dam.services.ingest_store import Accepted, Outcome, store_accepted
from tfdb_dam.services.permissions import Capability, require
from tfdb_dam.storage import StagedFile

__all__ = ["Importer", "Outcome", "ingest_upload", "iter_files"]

_EXT = re.compile(r"^[a-z0-9]{1,10}$")


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named and, for folders, every file below them, in a stable order."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(folder) / name
        else:
            yield path


def accept_path(ctx: Context, path: Path, metadata: ImportMetadata) -> Accepted | Outcome:
    """Refuse early from the original when its content says so; otherwise stage and check the copy."""
    try:
        _sniff(ctx, path)
        staged = ctx.store.stage_path(path, max_bytes=ctx.config.max_upload_bytes)
    except RejectedFile as exc:
        return Outcome(str(path), "rejected", error=str(exc))
    except OSError as exc:
        reason = exc.strerror or exc
        return Outcome(str(path), "rejected", error=str(msg("file.unreadable_because", reason=reason)))
    return check_staged(ctx, str(path), path.name, staged, metadata.for_file(path.name))


def check_staged(ctx: Context, label: str, filename: str, staged: StagedFile,
                 metadata: Mapping[str, str]) -> Accepted | Outcome:
    """The staged copy is what gets stored, so its content has the last word on the type."""
    try:
        ftype = sniff_staged(ctx, staged, filename)
    except RejectedFile as exc:
        ctx.store.discard(staged)
        return Outcome(label, "rejected", error=str(exc))
    return Accepted(label, filename, staged, ftype, dict(metadata))


def sniff_staged(ctx: Context, staged: StagedFile, filename: str) -> FileType:
    # sniff compares the content with the extension the name claims; show it the staged copy
    # under that extension through a short-lived link beside it.
    claimed = Path(filename).suffix.lower().lstrip(".")
    alias = staged.path.with_name(staged.path.stem + (f".{claimed}" if _EXT.match(claimed) else ""))
    os.symlink(staged.path.name, alias)
    try:
        return _sniff(ctx, alias)
    finally:
        alias.unlink(missing_ok=True)


def _sniff(ctx: Context, path: Path) -> FileType:
    return run_with_time_limit(sniff, path, max_bytes=ctx.config.max_upload_bytes,
                               seconds=ctx.config.tfdb_parse_timeout_s)


class Importer:
    """Feeds files through intake and storage a few at a time (one transaction and job per group)."""

    def __init__(self, ctx: Context, actor: Actor, metadata: ImportMetadata | None = None, *,
                 source: str = provenance.IMPORT, group_size: int = GROUP_SIZE) -> None:
        require(actor, Capability.upload)
        self.ctx, self.actor, self.source, self.group_size = ctx, actor, source, group_size
        self.metadata = metadata or ImportMetadata()
        self._group: list[Accepted] = []

    def add(self, path: Path) -> list[Outcome]:
        """Outcomes this file (or the group it completes) settles now; queued ones finish later."""
        result = accept_path(self.ctx, path, self.metadata)
        if isinstance(result, Outcome):
            return [result]
        self._group.append(result)
        return self.flush() if len(self._group) >= self.group_size else []

    def flush(self) -> list[Outcome]:
        group, self._group = self._group, []
        return store_accepted(self.ctx, self.actor, group, source=self.source) if group else []


def ingest_upload(ctx: Context, actor: Actor, filename: str, stream: BinaryIO,
                  metadata: Mapping[str, str] | None = None) -> Outcome:
    """One file handed over by the web app; returns at once, processing continues in the background.

    ``metadata`` uses the import CSV's names (title_vi, tags, category...) and counts as typed by
    a person ("manual"). The outcome is ``queued`` (with the new asset's id), ``duplicate`` (with
    the existing asset's id) or ``rejected`` (with the reason); ``ingest_wait.outcome_of`` later
    tells whether a queued asset became ``imported`` or was ``rejected`` on closer inspection.
    """
    require(actor, Capability.upload)
    values = _form_values(ctx, metadata or {})
    name = Path(filename or "upload").name
    try:
        staged = ctx.store.stage(stream, max_bytes=ctx.config.max_upload_bytes)
    except RejectedFile as exc:
        return Outcome(name, "rejected", error=str(exc))
    accepted = check_staged(ctx, name, name, staged, values)
    if isinstance(accepted, Outcome):
        return accepted
    return store_accepted(ctx, actor, [accepted], source=provenance.MANUAL)[0]


def _form_values(ctx: Context, metadata: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(metadata) - set(CSV_COLUMNS))
    if unknown:
        raise ValidationError("metadata.fields_unknown", fields=", ".join(unknown),
                              known=", ".join(CSV_COLUMNS[1:]))
    values = {k: str(v).strip() for k, v in metadata.items() if k != "filename" and v and str(v).strip()}
    check_values(values)
    if values.get("category"):
        with ctx.db.begin() as session:
            category_id(session, values["category"])
    return values
