"""Crash safety for originals: a journal of in-flight writes and deletes, reconciled on demand.

Writing an original: take the SHA's advisory lock, journal (sha, ext), rename the staged file into
place, insert the asset row and drop the journal row in one transaction, unlock. Deleting: drop
the row and journal it in one transaction, delete the files after commit, drop the journal row.
A process killed anywhere leaves a journal row whose lock is free: reconciling keeps the file if
a row names it and removes it otherwise. A live process holds the lock, so it is never disturbed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.postgresql import insert

from tfdb_dam.db.models import Asset, StorageJournal
from tfdb_dam.services.context import Context

_LOCK_NAMESPACE = 7263


def _lock_args(sha256: str) -> dict[str, int]:
    return {"ns": _LOCK_NAMESPACE, "key": int.from_bytes(bytes.fromhex(sha256[:8]), "big", signed=True)}


def sha_lock(ctx: Context, sha256: str):  # noqa: ANN201 - a context manager yielding a Connection
    """Hold one SHA's advisory lock on a dedicated autocommit connection."""
    return sha_locks(ctx, [sha256])


@contextmanager
def sha_locks(ctx: Context, sha256s: list[str]) -> Iterator[Connection]:
    """Hold the advisory locks of several SHAs on ONE dedicated autocommit connection.

    Taken in sorted order, so two importers sharing files never deadlock; one connection for a
    group of files instead of one each spares a pool checkout (and often a new server process).
    """
    with ctx.db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            for sha256 in sorted(set(sha256s)):
                conn.execute(text("SELECT pg_advisory_lock(:ns, :key)"), _lock_args(sha256))
            yield conn
        finally:
            conn.execute(text("SELECT pg_advisory_unlock_all()"))  # this connection's locks only


def journal(conn: Connection, sha256: str, ext: str) -> None:
    conn.execute(insert(StorageJournal).values(sha256=sha256, ext=ext).on_conflict_do_nothing())


def forget_journal(conn: Connection, sha256s: list[str]) -> None:
    conn.execute(delete(StorageJournal).where(StorageJournal.sha256.in_(sha256s)))


def reconcile_one(ctx: Context, conn: Connection, sha256: str, ext: str) -> None:
    """With the SHA's lock held: keep the file if an asset names it, else remove its files."""
    named = conn.execute(select(Asset.id).where(Asset.sha256 == sha256)).first()
    if not named:
        ctx.store.delete_files(sha256, ext)
    forget_journal(conn, [sha256])


def reconcile_storage(ctx: Context) -> int:
    """Finish what killed processes left in the journal; returns how many entries were settled."""
    settled = 0
    with ctx.db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for sha256, ext in conn.execute(select(StorageJournal.sha256, StorageJournal.ext)).all():
            got = conn.execute(text("SELECT pg_try_advisory_lock(:ns, :key)"), _lock_args(sha256)).scalar()
            if not got:
                continue  # a live process is writing it
            try:
                reconcile_one(ctx, conn, sha256, ext)
                settled += 1
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), _lock_args(sha256))
    return settled


def in_flight(ctx: Context) -> set[str]:
    with ctx.db.engine.connect() as conn:
        return set(conn.execute(select(StorageJournal.sha256)).scalars())
