"""The engine and session factory; one session per user action or job, opened by the caller."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import psycopg
from sqlalchemy import Engine, Executable, Row, create_engine, event, text
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tfdb_dam.config import Config
from tfdb_dam.db.vector_params import register_binary_halfvec
from tfdb_dam.errors import DatabaseUnavailable
from tfdb_dam.messages import word

_log = logging.getLogger(__name__)

REQUIRED_EXTENSIONS = ("vector", "unaccent", "pg_trgm")


def sqlalchemy_url(raw: str) -> str:
    """Accept postgres:// and postgresql:// URLs and pick the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


# What every connection of the app starts with, set once as it opens rather than at the start of
# each search (a round trip each). The HNSW walk of the vector legs: the beam wide enough for
# recall@10 0.96 at 1M assets with graphs built as services/indexing_vectors.py's HNSW_OPTIONS
# say (bench/results), filters checked during the walk, and how far it may walk before the
# search falls back to an exact sort (services/search_vector.py reads these).
# JIT off: compiling a search's ranking expressions costs more than running them.
SESSION_SETTINGS = {
    "hnsw.ef_search": "96",
    "hnsw.iterative_scan": "relaxed_order",
    "hnsw.max_scan_tuples": "20000",
    "jit": "off",
}
_SET_SESSION = "SELECT " + ", ".join(["set_config(%s, %s, false)"] * len(SESSION_SETTINGS))

# Read the settings, then turn workers and JIT off for this transaction (select-list items are
# evaluated in order); _RESTORE puts the values read back.
_SERIAL = (
    "SELECT current_setting('max_parallel_workers_per_gather'), current_setting('jit'), "
    "set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
)
_RESTORE = "SELECT set_config('max_parallel_workers_per_gather', %s, true), set_config('jit', %s, true)"


def serially(session: Session, statement: Executable, bound: dict | None = None) -> Sequence[Row]:
    """The statement's rows, run without parallel workers (and without JIT, which would compile
    for longer than a search runs, should the server's settings have it on). The transaction's
    own values are restored afterwards: the facets that follow want workers. The settings go
    straight through the driver, in the session's transaction: through SQLAlchemy the two round
    trips cost 0.7 ms, as much as a small filter's whole ranking saves."""
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        workers, jit, *_ = cursor.execute(_SERIAL).fetchone()
    rows = session.execute(statement, bound or {}).all()
    # Not in a `finally`: after an error the transaction is aborted and takes its settings along,
    # and a restore would only hide the error behind InFailedSqlTransaction.
    with driver.cursor() as cursor:
        cursor.execute(_RESTORE, (workers, jit))
    return rows


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    # prepare_threshold=None: psycopg's automatic server-side prepared statements switch to a
    # generic plan after a few runs, which has been seen to turn an HNSW search into an exact
    # scan. Our hot queries are few and planned fresh each time; see search/ plan-guard tests.
    engine = create_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=10,
        connect_args={"prepare_threshold": None, "application_name": "tfdb-dam"},
    )
    event.listen(engine, "connect", _session_defaults)
    event.listen(engine, "checkin", _note_last_use)
    event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect))
    return engine


# A pooled connection is pinged before use only when it has been idle this long (the idea of
# PgBouncer's server_check_delay). SQLAlchemy's pool_pre_ping pings at every checkout: a round
# trip of ~0.5 ms here, paid by each search leg on its own connection. What is left unchecked is
# a connection the server closed within a second of its last use: the request that meets it
# fails, and SQLAlchemy then empties the whole pool, so the next request connects afresh.
PING_AFTER_IDLE_S = 1.0
_LAST_USE = "tfdb_last_use"


def _note_last_use(_dbapi_connection, record) -> None:  # noqa: ANN001
    record.info[_LAST_USE] = time.monotonic()


def _ping_if_idle(dialect, dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
    last_use = record.info.get(_LAST_USE)
    if last_use is None or time.monotonic() - last_use < PING_AFTER_IDLE_S:
        return  # just opened (and set up by _session_defaults), or in use a moment ago
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as exc:
        if dialect.is_disconnect(exc, dbapi_connection, None):
            # The pool discards this connection and hands out a fresh one instead.
            raise DisconnectionError(str(exc)) from exc
        raise


def _session_defaults(dbapi_connection, _record) -> None:  # noqa: ANN001 - a psycopg connection
    register_binary_halfvec(dbapi_connection)
    # Set in a transaction of its own, committed before SQLAlchemy hands the connection out; the
    # hnsw.* names are kept as placeholders until pgvector's library loads and adopts them.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(_SET_SESSION, [item for pair in SESSION_SETTINGS.items() for item in pair])
    dbapi_connection.commit()


@dataclass
class Database:
    """Owns the engine; hands out sessions. Cache one per process, never a session."""

    engine: Engine
    url: str = field(repr=False)  # may carry a password

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def autocommit(self) -> Iterator[psycopg.Connection]:
        """A pooled psycopg connection outside any transaction, for one read-only statement on a
        hot path: no BEGIN and COMMIT round trips, and none of SQLAlchemy's per-statement work
        (together ~2.5 ms of a 12 ms vector walk at a million assets). It goes back to the pool
        as it came; one that failed to is discarded."""
        proxy = self.engine.raw_connection()
        connection = proxy.driver_connection
        try:
            connection.autocommit = True
            yield connection
        finally:
            try:
                connection.autocommit = False
            except psycopg.Error:  # closed under us: the pool must not hand it out again
                proxy.invalidate()
            proxy.close()

    def dispose(self) -> None:
        self.engine.dispose()


def database_url(config: Config) -> str:
    if config.database_url:
        return sqlalchemy_url(config.database_url)
    from tfdb_dam.embedded import embedded_database_url

    return embedded_database_url(config.home)


def connect(config: Config, *, pool_size: int = 5, check: bool = True) -> Database:
    """Open the configured database (starting the embedded one if needed) and check it."""
    url = database_url(config)
    db = Database(make_engine(url, pool_size=pool_size), url)
    if check:
        check_extensions(db.engine, external=bool(config.database_url))
    return db


def check_extensions(engine: Engine, *, external: bool) -> None:
    """Say in one sentence which required PostgreSQL extensions the server lacks."""
    try:
        with engine.connect() as conn:
            available = set(conn.execute(text(
                "SELECT name FROM pg_available_extensions WHERE name = ANY(:names)"),
                {"names": list(REQUIRED_EXTENSIONS)}).scalars())
    except OperationalError as exc:
        where = word("word.db_external") if external else word("word.db_embedded")
        raise DatabaseUnavailable("database.cannot_connect", where=where,
                                  reason=str(exc.orig).strip()) from exc
    missing = [name for name in REQUIRED_EXTENSIONS if name not in available]
    if missing:
        raise DatabaseUnavailable("database.extensions_missing", names=", ".join(missing))


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the session's outermost transaction has committed; drop it on rollback.

    File deletions go through here so a file is removed only after the row that named it is gone.
    An action registered inside a SAVEPOINT belongs to it: released, it waits for the real
    commit; rolled back, it is dropped with it.
    """
    txn = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault("after_commit", []).append((txn, action))


def inside_transaction(txn: object, outer: object) -> bool:
    while txn is not None:
        if txn is outer:
            return True
        txn = getattr(txn, "parent", None)
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: object) -> None:
    pending = session.info.get("after_commit", [])
    session.info["after_commit"] = [(t, a) for t, a in pending if not inside_transaction(t, previous_transaction)]


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT was released; the real commit is still to come
    for _txn, action in session.info.pop("after_commit", []):
        try:
            action()
        except Exception:  # the commit stands; storage reconcile/verify settle a leftover file
            _log.exception("An after-commit action failed")
