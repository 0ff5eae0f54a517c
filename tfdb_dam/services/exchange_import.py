"""Importing an exchange ZIP from another TFDB DAM: each listed file through the normal ingest, with metadata.

The ZIP is untrusted. No name inside it is ever used as a path: entries are read as streams,
found by the exact name the CSV gives, and only a cleaned base name is kept as the asset's
original file name. Its declared sizes and entry count are checked before anything is read,
and each read is capped again while streaming (a lying header cannot inflate past the limit).
Every file then passes the same type, size and content checks as any other import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tfdb_dam.db.models import Asset
from tfdb_dam.errors import RejectedFile, UsageError, ValidationError
from tfdb_dam.messages import msg
from tfdb_dam.services import audit, provenance
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.exchange import METADATA_CSV, safe_name
from tfdb_dam.services.ingest import check_staged
from tfdb_dam.services.ingest_metadata import CSV_COLUMNS, category_id, check_values
from tfdb_dam.services.ingest_run import WorkerPool, wait_for_all
from tfdb_dam.services.ingest_store import Outcome, store_accepted
from tfdb_dam.services.ingest_wait import OutcomeWatcher
from tfdb_dam.services.permissions import Capability, require
from tfdb_dam.services.reconcile import reconcile_storage

MAX_ENTRIES = 10_000
MAX_METADATA_BYTES = 50 * 1024 * 1024
RIGHTS_COLUMNS = ("usage_terms", "rights_expires_on")


@dataclass(frozen=True)
class ZipRow:
    entry: zipfile.ZipInfo | None  # None: the CSV names a file the ZIP does not hold
    name: str  # as the CSV wrote it
    values: dict[str, str]  # import-format metadata
    rights: dict[str, str]  # usage_terms, rights_expires_on


def open_exchange_zip(ctx: Context, path: Path) -> tuple[zipfile.ZipFile, list[ZipRow]]:
    """The opened ZIP and its metadata rows, after every limit is checked; UsageError if it is not one."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UsageError("exchange.zip_unreadable", name=path.name, reason=str(exc)) from exc
    try:
        check_limits(ctx, archive)
        return archive, read_rows(ctx, archive)
    except BaseException:
        archive.close()
        raise


def check_limits(ctx: Context, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise RejectedFile("exchange.too_many_entries", count=len(infos), limit=MAX_ENTRIES)
    total_limit = ctx.config.tfdb_import_zip_max_mb * 1024 * 1024
    if sum(info.file_size for info in infos) > total_limit:
        raise RejectedFile("exchange.too_large", limit=ctx.config.tfdb_import_zip_max_mb)


def read_rows(ctx: Context, archive: zipfile.ZipFile) -> list[ZipRow]:
    try:
        info = archive.getinfo(METADATA_CSV)
    except KeyError:
        raise UsageError("exchange.no_metadata", name=METADATA_CSV) from None
    if info.file_size > MAX_METADATA_BYTES:
        raise RejectedFile("exchange.metadata_too_large", name=METADATA_CSV,
                           limit=MAX_METADATA_BYTES // 2**20)
    text = _read_capped(archive, info, MAX_METADATA_BYTES).decode("utf-8-sig", errors="strict")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "filename" not in (reader.fieldnames or []):
        raise UsageError("exchange.no_filename_column", name=METADATA_CSV)
    entries = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        rows.append(_row(ctx, row, line, entries, seen))
    return rows


def _row(ctx: Context, row: dict, line: int, entries: dict[str, zipfile.ZipInfo], seen: set[str]) -> ZipRow:
    clean = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
    name = clean.get("filename", "")
    if not name or name in seen or name == METADATA_CSV:
        raise UsageError("exchange.line_bad_filename", line=line, name=METADATA_CSV)
    seen.add(name)
    values = {k: clean[k] for k in CSV_COLUMNS[1:] if clean.get(k)}
    rights = {k: clean[k] for k in RIGHTS_COLUMNS if clean.get(k)}
    try:
        check_values(values)
        if rights.get("rights_expires_on"):
            dt.date.fromisoformat(rights["rights_expires_on"])
        if values.get("category"):
            with ctx.db.begin() as session:
                category_id(session, values["category"])
    except (ValidationError, ValueError) as exc:
        raise UsageError("csv.line_invalid", line=line, path=METADATA_CSV, name=name, reason=exc) from exc
    return ZipRow(entries.get(name), name, values, rights)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise RejectedFile("exchange.entry_too_large", name=info.filename)
    return data


def store_rows(ctx: Context, actor: Actor, archive: zipfile.ZipFile, rows: list[ZipRow]) -> Iterator[Outcome]:
    """Stage and store each listed file like an upload; yields queued, duplicate or rejected at once."""
    require(actor, Capability.upload)
    for row in rows:
        outcome = _store_one(ctx, actor, archive, row)
        if outcome.status == "queued" and row.rights:
            apply_rights(ctx, actor, outcome.asset_id, row.rights)
        yield outcome


def _store_one(ctx: Context, actor: Actor, archive: zipfile.ZipFile, row: ZipRow) -> Outcome:
    if row.entry is None:
        return Outcome(row.name, "rejected", error=str(msg("exchange.entry_missing")))
    if row.entry.flag_bits & 0x1:
        return Outcome(
            row.name,
            "rejected",
            error=str(msg("exchange.entry_encrypted")),
        )
    if row.entry.file_size > ctx.config.max_upload_bytes:
        return Outcome(
            row.name,
            "rejected",
            error=str(msg("file.larger_than_limit", limit=ctx.config.tfdb_max_upload_mb)),
        )
    try:
        with archive.open(row.entry) as stream:  # stops at the declared size and checks the CRC
            staged = ctx.store.stage(stream, max_bytes=ctx.config.max_upload_bytes)
    except RejectedFile as exc:
        return Outcome(row.name, "rejected", error=str(exc))
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        return Outcome(row.name, "rejected", error=str(msg("exchange.entry_damaged", reason=str(exc))))
    accepted = check_staged(ctx, row.name, safe_name(row.name), staged, row.values)
    if isinstance(accepted, Outcome):
        return accepted
    return store_accepted(ctx, actor, [accepted], source=provenance.IMPORT)[0]


def apply_rights(ctx: Context, actor: Actor, asset_id: int, rights: dict[str, str]) -> None:
    """Usage terms and the end of rights travel with the file, so copyright holds in the new home too."""
    values: dict[str, object] = {"usage_terms": rights.get("usage_terms")}
    if rights.get("rights_expires_on"):
        values["rights_expires_on"] = dt.date.fromisoformat(rights["rights_expires_on"])
    with ctx.db.begin() as session:
        # Locked and read fresh: the processing job may be writing the same row right now.
        session.execute(select(Asset.id).where(Asset.id == asset_id).with_for_update())
        asset = session.get(Asset, asset_id, populate_existing=True)
        changed = provenance.apply_fields(asset, values, provenance.IMPORT)
        if changed:
            asset.updated_by_id = actor.user_id
            audit.record(
                session,
                actor,
                "asset.update",
                object_type="asset",
                object_id=asset_id,
                details={"fields": changed, "source": "exchange"},
            )


def import_zip(ctx: Context, actor: Actor, path: Path, *, workers: int) -> Iterator[Outcome]:
    """Import an exchange ZIP like `tfdb import`: yields each file's final outcome once processed.

    ``workers`` processes are started for the run (0: rely on the workers already running).
    """
    archive, rows = open_exchange_zip(ctx, path)
    reconcile_storage(ctx)  # settle what a killed run left before deciding what is a duplicate
    with archive, OutcomeWatcher(ctx) as watcher, WorkerPool(ctx, workers) as pool:
        for outcome in store_rows(ctx, actor, archive, rows):
            final = watcher.track(outcome)
            if final is None:
                pool.need()  # started with the first queued file: a ZIP of duplicates needs none
            else:
                yield final
        yield from wait_for_all(watcher, pool)
