"""Processing stored assets: analyse each, then in ONE transaction apply, discard or flag, index, notify.

A job may run twice (retry, crash recovery): assets already ready are skipped unless forced,
rendition files are rewritten in place, and provenance keeps every person's edit. A fresh asset
whose file turns out unusable is deleted with its files (after commit) and the refusal recorded
in the audit trail; an asset that was ready before is never deleted by re-processing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.engine import after_commit
from tfdb_dam.db.models import Asset, ProcessingState
from tfdb_dam.errors import RejectedFile
from tfdb_dam.jobs.queue import defer
from tfdb_dam.media import perceptual_hash
from tfdb_dam.services import audit
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing import index_assets
from tfdb_dam.services.ingest_analysis import Analysis, analyse
from tfdb_dam.services.ingest_apply import apply_analysis, set_phashes
from tfdb_dam.services.ingest_renditions import RenditionFile, write_renditions
from tfdb_dam.services.reconcile import journal, reconcile_one, sha_lock

PROCESS_TASK = "ingest.process_assets"
REPROCESS_TASK = "ingest.reprocess_assets"
CHANNEL = "tfdb_ingest"  # NOTIFY channel: one message per asset processed or discarded
# Assets per job: one transaction and one embedding batch for all of them. A text model's call
# costs about as much for 1 text as for 4 (35 ms) and 5 ms a text at 8; more makes progress lumpy.
GROUP_SIZE = 8
_RECOVERY_LOCK = 7_263_201


@dataclass
class _Prepared:
    asset_id: int
    analysis: Analysis | None = None
    renditions: list[RenditionFile] = field(default_factory=list)
    phash: str | None = None
    refusal: str | None = None


def process_assets(ctx: Context, asset_ids: list[int], *, force: bool = False,
                   final_attempt: bool = True) -> dict[str, int]:
    """Process these assets; returns how many became ready, were refused, or were skipped.

    Any failure is raised for the queue to retry, except on the final attempt: then each asset is
    tried alone, and one that still cannot be completed is refused with the reason, so that no
    asset stays half made (an established one is kept and marked failed instead).
    """
    try:
        return _process(ctx, asset_ids, force, final_attempt)
    except Exception as exc:
        if not final_attempt:
            raise
        if len(asset_ids) > 1:
            return _one_by_one(ctx, asset_ids, force)
        _give_up(ctx, asset_ids[0], exc)
        return {"ready": 0, "refused": 1, "skipped": 0}


def _one_by_one(ctx: Context, asset_ids: list[int], force: bool) -> dict[str, int]:
    totals = {"ready": 0, "refused": 0, "skipped": 0}
    for asset_id in asset_ids:
        for key, count in process_assets(ctx, [asset_id], force=force, final_attempt=True).items():
            totals[key] += count
    return totals


def _give_up(ctx: Context, asset_id: int, exc: Exception) -> None:
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id, with_for_update={"key_share": True, "of": Asset})
        if asset is not None:
            _refuse(session, ctx, asset, failure_reason(exc))


def _process(ctx: Context, asset_ids: list[int], force: bool, final_attempt: bool) -> dict[str, int]:
    targets = _targets(ctx, asset_ids, force)
    prepared = [_prepare(ctx, *target, final_attempt=final_attempt) for target in targets]
    with ctx.db.begin() as session:
        ready, refused = _apply_all(session, ctx, prepared)
        index_assets(session, ctx, [a.id for a, _ in ready], embed_now=True)  # searchable when the job ends
        # Last: the near-duplicate check takes a lock every job waits for, held until commit.
        set_phashes(session, ready)
        if ready:
            notify(session, [asset.id for asset, _ in ready], "imported")
    return {"ready": len(ready), "refused": refused, "skipped": len(asset_ids) - len(targets)}


def _apply_all(session: Session, ctx: Context,
               prepared: list[_Prepared]) -> tuple[list[tuple[Asset, str | None]], int]:
    """Apply each analysis or refusal to its row; returns the assets made ready (with their
    perceptual hashes, stored last) and how many were refused."""
    # Lock the rows (in id order, so jobs never deadlock) against edits made meanwhile; NO KEY
    # UPDATE, so rows that merely point at these assets (vectors, tags) can still be written.
    # One query reads them all afresh, their tags and renditions in one more each.
    rows = session.scalars(
        select(Asset).where(Asset.id.in_([p.asset_id for p in prepared])).order_by(Asset.id)
        .with_for_update(key_share=True, of=Asset).execution_options(populate_existing=True))
    assets = {asset.id: asset for asset in rows}
    ready, refused = [], 0
    for item in prepared:
        asset = assets.get(item.asset_id)
        if asset is None:
            continue  # deleted meanwhile
        if item.refusal is None:
            apply_analysis(session, ctx.store, asset, item.analysis, item.renditions)
            ready.append((asset, item.phash))
        else:
            refused += 1
            _refuse(session, ctx, asset, item.refusal)
    return ready, refused


def _targets(ctx: Context, asset_ids: list[int], force: bool) -> list[tuple[int, str, str, str]]:
    query = select(Asset.id, Asset.sha256, Asset.ext, Asset.kind).where(Asset.id.in_(asset_ids))
    if not force:
        query = query.where(Asset.processing == ProcessingState.pending)
    with ctx.db.begin() as session:
        rows = session.execute(query.order_by(Asset.id))
        return [(aid, sha, ext, kind.value) for aid, sha, ext, kind in rows]


def _prepare(ctx: Context, asset_id: int, sha256: str, ext: str, kind: str, *,
             final_attempt: bool) -> _Prepared:
    """Everything slow happens here, outside the transaction: parsing, decoding, writing files."""
    try:
        analysis = analyse(ctx.config, ctx.store.original_path(sha256, ext), kind, ext)
        files = write_renditions(ctx, sha256, analysis.renditions)
        phash = perceptual_hash(ctx.store.rendition_path(sha256, "thumb")) if kind == "photo" else None
    except RejectedFile as exc:
        return _Prepared(asset_id, refusal=str(exc))
    except Exception as exc:
        if not final_attempt:
            raise  # the queue retries the whole job; everything above is safe to redo
        return _Prepared(asset_id, refusal=failure_reason(exc))
    return _Prepared(asset_id, analysis, files, phash)


def failure_reason(exc: BaseException) -> str:
    """One sentence for an unexpected failure: its kind and the first line of its message."""
    first_line = (str(exc).strip().splitlines() or [""])[0][:200].rstrip(".")
    return f"The file could not be processed ({type(exc).__name__}{': ' + first_line if first_line else ''})."


def _refuse(session: Session, ctx: Context, asset: Asset, reason: str) -> None:
    if asset.processing is not ProcessingState.pending:
        # Re-processing an established asset failed: keep it and say why; never delete it.
        asset.processing, asset.processing_error = ProcessingState.failed, reason
        audit.record(session, SYSTEM, "asset.process_failed", object_type="asset", object_id=asset.id,
                     details={"reason": reason})
        notify(session, [asset.id], "rejected", reason)
        return
    discard(session, ctx, asset, reason)


def discard(session: Session, ctx: Context, asset: Asset, reason: str) -> None:
    """Delete a fresh asset whose file is unusable; its files go only after the deletion commits."""
    sha256, ext = asset.sha256, asset.ext
    audit.record(session, SYSTEM, "asset.discard", object_type="asset", object_id=asset.id,
                 details={"sha256": sha256, "filename": asset.original_filename, "reason": reason})
    notify(session, [asset.id], "rejected", reason)
    session.delete(asset)
    journal(session.connection(), sha256, ext)  # a crash before the files go is settled by reconcile
    after_commit(session, lambda: _delete_files(ctx, sha256, ext))


def _delete_files(ctx: Context, sha256: str, ext: str) -> None:
    with sha_lock(ctx, sha256) as conn:
        reconcile_one(ctx, conn, sha256, ext)  # keeps them if the same file was imported meanwhile


def notify(session: Session, asset_ids: list[int], status: str, error: str | None = None) -> None:
    """Tell waiting imports; PostgreSQL delivers it only if (and when) the transaction commits.
    One message for a job's assets: a notification costs a round trip and the waiter's wake-up."""
    payload = json.dumps({"asset_ids": asset_ids, "status": status, "error": error}, ensure_ascii=False)
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


def queue_processing(session: Session, asset_ids: list[int]) -> None:
    """Defer processing jobs for these assets in the caller's transaction, a few assets per job."""
    for start in range(0, len(asset_ids), GROUP_SIZE):
        defer(session, PROCESS_TASK, asset_ids=asset_ids[start:start + GROUP_SIZE])


def queue_reprocessing(session: Session, asset_ids: list[int]) -> None:
    """Have established assets read again from their originals (people's edits are kept)."""
    for start in range(0, len(asset_ids), GROUP_SIZE):
        defer(session, REPROCESS_TASK, asset_ids=asset_ids[start:start + GROUP_SIZE])


def requeue_orphans(ctx: Context) -> int:
    """Queue a job for every asset still pending with no job waiting or running for it."""
    with ctx.db.begin() as session:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _RECOVERY_LOCK})
        orphans = list(session.execute(text(
            "SELECT a.id FROM assets a WHERE a.processing = 'pending' AND NOT EXISTS ("
            " SELECT 1 FROM procrastinate_jobs j WHERE j.task_name = :task"
            " AND j.status IN ('todo', 'doing') AND j.args->'asset_ids' @> to_jsonb(a.id))"
            " ORDER BY a.id"), {"task": PROCESS_TASK}).scalars())
        queue_processing(session, orphans)
    return len(orphans)
