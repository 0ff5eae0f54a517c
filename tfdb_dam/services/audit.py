"""The append-only, hash-chained audit trail: record, verify, export.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting an
entry breaks the chain; ``audit_head`` (written in the same transaction as each entry) also
reveals entries deleted from the end. Someone able to rewrite every later hash and the head can
still forge a consistent chain: compare the head that ``tfdb audit verify`` prints with one kept
elsewhere to rule that out.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from tfdb_dam.db.base import nfc_value
from tfdb_dam.db.engine import inside_transaction
from tfdb_dam.db.models import AuditEntry, AuditHead
from tfdb_dam.services import permissions
from tfdb_dam.services.actors import Actor

GENESIS = "0" * 64
# One chain for the whole database: writers take this transaction lock so that each entry's
# prev_hash is the hash of the entry committed just before it.
_CHAIN_LOCK = 7_263_101
_PENDING = "audit_pending"


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
           object_id: object = None, details: dict[str, Any] | None = None,
           address: str | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits or rolls back with the act).

    The entry is chained when the transaction commits (``chain_pending``), so the chain lock is
    held for milliseconds at the end rather than for the whole of a long transaction.
    ``address`` names where the request came from when there is no actor (a failed sign-in).
    """
    entry = AuditEntry(
        at=dt.datetime.now(dt.timezone.utc),
        actor=nfc_value(actor.username) if actor else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else nfc_value(str(object_id)),
        details=nfc_value(details or {}),
        address=nfc_value(address or (actor.address if actor else None)),
        prev_hash="",
        hash="",
    )
    txn = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((txn, entry))
    return entry


def _json_text(details: dict[str, Any]) -> str:
    raw = json.dumps(details, ensure_ascii=False, default=str, allow_nan=False)
    return raw.replace("\\u0000", "\\ufffd")  # jsonb refuses NUL


# For every pending entry at once: its details exactly as PostgreSQL's jsonb gives them back (so
# the hash computed now is the one `audit verify` recomputes: number forms, key order), and an id.
# One round trip per commit instead of two per entry: an import writes one entry per file.
_STORED_FORMS = text(
    "SELECT n, CAST(d AS jsonb), nextval(pg_get_serial_sequence('audit_log', 'id'))"
    " FROM unnest(CAST(:details AS text[])) WITH ORDINALITY AS t(d, n)"
)


@event.listens_for(Session, "before_commit")
def chain_pending(session: Session) -> None:
    """Chain and write the entries recorded so far (at commit, or earlier to read them back)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    entries = [entry for _txn, entry in pending]
    rows = session.execute(_STORED_FORMS, {"details": [_json_text(e.details) for e in entries]}).all()
    ids = sorted(row[2] for row in rows)  # the chain's order is the ids' order
    prev = head.last_hash
    for entry, (_n, details, _id), entry_id in zip(entries, sorted(rows), ids, strict=True):
        entry.id, entry.details, entry.prev_hash = entry_id, details, prev
        entry.hash = prev = entry_hash(prev, entry)
        session.add(entry)
    session.flush()
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(
        last_id=entries[-1].id, last_hash=prev, entries=AuditHead.entries + len(entries)))


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: object) -> None:
    pending = session.info.get(_PENDING, [])
    session.info[_PENDING] = [(t, e) for t, e in pending if not inside_transaction(t, previous_transaction)]


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_id: int | None
    head_hash: str
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, *, batch: int = 5000) -> list[ChainProblem]:
    """Recompute every hash; report edited entries, and gaps where an entry was deleted."""
    return verify(session, batch=batch).problems


def verify(session: Session, *, batch: int = 5000) -> ChainReport:
    """The whole check: every hash, every link, and the last entry against ``audit_head``."""
    problems: list[ChainProblem] = []
    prev_hash, prev_id, count = GENESIS, None, 0
    for entry in _iter_entries(session, batch):
        if entry.prev_hash != prev_hash:
            what = "an entry before it was deleted or changed" if prev_id is not None else "the first entry was deleted"
            problems.append(ChainProblem(entry.id, f"Entry {entry.id} does not follow the chain: {what}."))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(ChainProblem(entry.id, f"Entry {entry.id} was edited after it was written."))
        prev_hash, prev_id, count = entry.hash, entry.id, count + 1
    problems += _head_problems(session, prev_id, prev_hash, count)
    return ChainReport(count, prev_id, prev_hash, problems)


def _head_problems(session: Session, last_id: int | None, last_hash: str, count: int) -> list[ChainProblem]:
    head = session.get(AuditHead, 1)
    if head is None:
        return [ChainProblem(None, "The audit head record is missing, "
                                   "so deletions at the end cannot be ruled out.")]
    problems = []
    if head.last_hash != last_hash or head.last_id != (last_id or 0):
        problems.append(ChainProblem(head.last_id, f"The log ends at entry {last_id or 'none'} but entry "
                                                   f"{head.last_id} was written last: entries at the end "
                                                   "were deleted or rewritten."))
    elif head.entries != count:
        problems.append(ChainProblem(None, f"The log holds {count} entries but {head.entries} were written."))
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
        for row in rows:  # keep memory flat on a long log without touching the caller's objects
            session.expunge(row)


EXPORT_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_id", "details", "address", "prev_hash", "hash")


def export(session: Session, actor: Actor) -> Iterator[str]:
    """The whole log as CSV for an administrator; the export itself is recorded first."""
    permissions.require(actor, permissions.Capability.export_audit)
    record(session, actor, "audit.export")
    chain_pending(session)  # the export includes its own entry
    return export_csv(session)


def export_csv(session: Session) -> Iterator[str]:
    """The whole log as CSV text, chunk by chunk (UTF-8; details as JSON). No role check: use ``export``."""
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
