"""Storing accepted files crash-safely: each SHA locked, journalled, renamed into place, then ONE
transaction inserts the rows, their history, audit entries and processing job and forgets the journal.

A process killed anywhere leaves either nothing, or journal rows that reconcile settles (file
kept if a row names it, removed otherwise), or complete pending assets whose job is queued.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, ProcessingState, ReviewEvent
from tfdb_dam.media import FileType
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest_metadata import apply_import_metadata
from tfdb_dam.services.ingest_process import queue_processing
from tfdb_dam.services.reconcile import forget_journal, journal, reconcile_one, sha_locks
from tfdb_dam.storage import StagedFile


@dataclass
class Outcome:
    """What became of one incoming file. ``status``: imported, duplicate, rejected, or queued
    (stored, processing in the background). ``pending`` marks a duplicate of a queued asset."""

    path: str
    status: str
    asset_id: int | None = None
    error: str | None = None
    pending: bool = field(default=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "status": self.status, "asset_id": self.asset_id, "error": self.error}


@dataclass
class Accepted:
    """A staged file whose content passed the type check, waiting to be stored."""

    label: str  # how the outcome names it: the path given, or the uploaded file name
    filename: str
    staged: StagedFile
    ftype: FileType
    metadata: dict[str, str] = field(default_factory=dict)


def store_accepted(ctx: Context, actor: Actor, items: list[Accepted], *, source: str) -> list[Outcome]:
    """Store a group of accepted files; each ends queued (new asset) or duplicate (existing one)."""
    shas = sorted({item.staged.sha256 for item in items})
    with sha_locks(ctx, shas) as held:
        existing = _existing(ctx, shas)
        fresh = {}
        for item in items:
            if item.staged.sha256 not in existing and item.staged.sha256 not in fresh:
                fresh[item.staged.sha256] = item
        try:
            _place_originals(ctx, held, list(fresh.values()))
            with ctx.db.begin() as session:
                created = _insert(session, actor, list(fresh.values()), source)
                forget_journal(session.connection(), list(fresh))
        except BaseException:
            for sha, item in fresh.items():
                reconcile_one(ctx, held, sha, item.ftype.ext)  # no row names it: files go
            for item in items:
                ctx.store.discard(item.staged)
            raise
    return [_outcome(ctx, item, fresh, created, existing) for item in items]


def _existing(ctx: Context, shas: list[str]) -> dict[str, tuple[int, bool]]:
    with ctx.db.begin() as session:
        rows = session.execute(select(Asset.sha256, Asset.id, Asset.processing).where(Asset.sha256.in_(shas)))
        return {sha: (aid, state is ProcessingState.pending) for sha, aid, state in rows}


def _place_originals(ctx: Context, held: Connection, items: list[Accepted]) -> None:
    for item in items:
        journal(held, item.staged.sha256, item.ftype.ext)
        ctx.store.commit_original(item.staged, item.ftype.ext)


def _insert(session: Session, actor: Actor, items: list[Accepted], source: str) -> dict[str, int]:
    created = {item.staged.sha256: create_asset(session, actor, item, source).id for item in items}
    queue_processing(session, list(created.values()))
    return created


def create_asset(session: Session, actor: Actor, item: Accepted, source: str) -> Asset:
    """A pending draft row with its import step in the history and its audit entry."""
    asset = Asset(kind=AssetKind(item.ftype.kind), status=AssetStatus.draft,
                  processing=ProcessingState.pending, sha256=item.staged.sha256, size_bytes=item.staged.size, mime_type=item.ftype.mime,
                  ext=item.ftype.ext, original_filename=item.filename[:500], created_by_id=actor.user_id,
                  updated_by_id=actor.user_id, field_sources={}, notes=[], exif={}, exposure={})
    session.add(asset)
    session.flush()
    apply_import_metadata(session, asset, item.metadata, source)
    session.add(ReviewEvent(asset_id=asset.id, actor_id=actor.user_id, action="import", to_status="draft"))
    audit.record(session, actor, "asset.create", object_type="asset", object_id=asset.id,
                 details={"filename": asset.original_filename, "sha256": asset.sha256,
                          "kind": asset.kind.value})
    return asset


def _outcome(ctx: Context, item: Accepted, fresh: dict, created: dict, existing: dict) -> Outcome:
    sha = item.staged.sha256
    if fresh.get(sha) is item:
        return Outcome(item.label, "queued", created[sha])
    ctx.store.discard(item.staged)  # same content is stored already
    if sha in existing:
        asset_id, pending = existing[sha]
        return Outcome(item.label, "duplicate", asset_id, pending=pending)
    return Outcome(item.label, "duplicate", created[sha], pending=True)
