"""Alembic environment: migrates the database TFDB DAM's settings point at."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tfdb_dam.db import models  # noqa: F401 - registers every table on Base.metadata
from tfdb_dam.db.base import Base

target_metadata = Base.metadata

# Tables and indexes that other owners manage: the job queue (procrastinate) and indexes
# created by hand-written SQL (expression and partial indexes autogenerate cannot express).
_FOREIGN_PREFIXES = ("procrastinate_",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    if name and name.startswith(_FOREIGN_PREFIXES):
        return False
    if type_ == "index" and reflected and compare_to is None and name and name.startswith("sx_"):
        return False  # sx_*: search indexes declared in migrations only
    return True


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from tfdb_dam.config import load_config
    from tfdb_dam.db.engine import connect

    db = connect(load_config())
    with db.engine.connect() as conn:
        _run(conn)
    db.dispose()


run_migrations_online()
