"""The append-only, hash-chained audit trail: record, verify, export."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.models import AuditEntry
from tfdb_dam.services.actors import Actor

GENESIS = "0" * 64
# One chain for the whole database: writers take this transaction lock so that each entry's
# prev_hash is the hash of the entry committed just before it.
_CHAIN_LOCK = 7_263_101


def _canonical(entry: AuditEntry) -> str:
    payload = {
        "id": entry.id,
        "at": entry.at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details,
        "address": entry.address,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _canonical(entry)).encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor | None, action: str, *, object_type: str | None = None,
           object_id: object = None, details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits or rolls back with the act)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    next_id = session.execute(text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")).scalar_one()
    entry = AuditEntry(
        id=next_id,
        at=dt.datetime.now(dt.timezone.utc),
        actor=actor.username if actor else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=json.loads(json.dumps(details or {}, default=str)),
        address=actor.address if actor else None,
        prev_hash=last or GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def verify_chain(session: Session, *, batch: int = 5000) -> list[ChainProblem]:
    """Recompute every hash; report edited entries, and gaps where an entry was deleted."""
    problems: list[ChainProblem] = []
    prev_hash, prev_id = GENESIS, None
    for entry in _iter_entries(session, batch):
        if entry.prev_hash != prev_hash:
            what = "an entry before it was deleted or changed" if prev_id is not None else "the first entry was deleted"
            problems.append(ChainProblem(entry.id, f"Entry {entry.id} does not follow the chain: {what}."))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(ChainProblem(entry.id, f"Entry {entry.id} was edited after it was written."))
        prev_hash, prev_id = entry.hash, entry.id
    return problems


def _iter_entries(session: Session, batch: int) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).scalars().all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


EXPORT_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_id", "details", "address", "prev_hash", "hash")


def export_csv(session: Session) -> Iterator[str]:
    """The whole log as CSV text, chunk by chunk (UTF-8; details as JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for entry in _iter_entries(session, 5000):
        writer.writerow([entry.id, entry.at.isoformat(), entry.actor or "", entry.action,
                         entry.object_type or "", entry.object_id or "",
                         json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
                         entry.address or "", entry.prev_hash, entry.hash])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def history(session: Session, object_type: str, object_id: object) -> list[AuditEntry]:
    return list(session.execute(
        select(AuditEntry).where(AuditEntry.object_type == object_type,
                                 AuditEntry.object_id == str(object_id)).order_by(AuditEntry.id)
    ).scalars())
