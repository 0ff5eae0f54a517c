"""Administration the app offers beyond other services: background maintenance jobs (re-index the
library, verify storage) with their progress, and reading the audit log page by page.

A maintenance job is queued here and run by a worker (``jobs.admin_tasks``); it keeps its state
in one RuntimeSetting row ``job.<name>`` (queued, running with counts, done with its result, or
failed with the reason) so any page can show live progress without holding a connection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import AuditEntry, RuntimeSetting
from tfdb_dam.errors import ValidationError
from tfdb_dam.jobs.queue import defer
from tfdb_dam.services import audit, users
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.permissions import Capability, require

JOBS = {"reindex": "admin.reindex_all", "verify_storage": "admin.verify_storage"}


def _key(job: str) -> str:
    return f"job.{job}"


def write_state(session: Session, job: str, state: dict[str, Any]) -> None:
    """Replace a job's state row (used by the request and by the task as it runs)."""
    value = {**state, "at": dt.datetime.now(dt.timezone.utc).isoformat()}
    session.execute(insert(RuntimeSetting).values(key=_key(job), value=value, updated_by="system")
                    .on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def report_state(ctx: Context, job: str, **state: Any) -> None:
    """From a task: record progress in its own short transaction."""
    with ctx.db.begin() as session:
        write_state(session, job, state)


def job_state(session: Session, actor: Actor, job: str) -> dict[str, Any]:
    require(actor, Capability.manage_settings)
    value = session.execute(select(RuntimeSetting.value).where(RuntimeSetting.key == _key(job))).scalar()
    return value or {"state": "never"}


def start_job(session: Session, actor: Actor, job: str, **options: Any) -> bool:
    """Queue a maintenance job (at most one of each kind at a time); False if one is already queued."""
    require(actor, Capability.manage_settings)
    if job not in JOBS:
        raise ValidationError("admin.job_unknown", job=repr(job))
    # The queue refuses a second job with the same lock by a failed INSERT: a savepoint keeps
    # the rest of the transaction usable.
    savepoint = session.begin_nested()
    try:
        defer(session, JOBS[job], queueing_lock=JOBS[job], **options)
    except AlreadyEnqueued:
        savepoint.rollback()
        return False
    savepoint.commit()
    write_state(session, job, {"state": "queued", "by": actor.username, "options": options})
    audit.record(session, actor, f"admin.{job}", object_type="job", object_id=job, details=options)
    return True


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_before: int | None   # pass as ``before_id`` for older entries


def audit_entries(session: Session, actor: Actor, *, action: str = "", who: str = "", object_id: str = "",
                  before_id: int | None = None, limit: int = 100) -> AuditPage:
    """Newest entries first, filtered by action prefix, actor and object id (administrators only)."""
    require(actor, Capability.export_audit)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit + 1)
    if action.strip():
        query = query.where(AuditEntry.action.startswith(action.strip()))
    if who.strip():
        query = query.where(AuditEntry.actor == who.strip().lower())
    if object_id.strip():
        query = query.where(AuditEntry.object_id == object_id.strip())
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(session.execute(query).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(rows, rows[-1].id if more and rows else None)


def audit_actions(session: Session, actor: Actor) -> list[str]:
    require(actor, Capability.export_audit)
    return list(session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars())


def export_audit_csv(ctx: Context, actor: Actor) -> bytes:
    """The whole log as UTF-8 CSV (with a BOM, so spreadsheet programs read the Vietnamese right)."""
    with ctx.db.begin() as session:
        return ("\ufeff" + "".join(audit.export(session, actor))).encode("utf-8")


def update_user(session: Session, actor: Actor, username: str, *, role: str, active: bool) -> None:
    """The users page's one form: role and enabled state, in one transaction (each audited)."""
    users.set_role(session, actor, username, role)
    users.set_active(session, actor, username, active)
