"""Database access: models, engine and session factory."""

from tfdb_dam.db.base import Base
from tfdb_dam.db.engine import Database, after_commit, connect, make_engine

__all__ = ["Base", "Database", "after_commit", "connect", "make_engine"]
