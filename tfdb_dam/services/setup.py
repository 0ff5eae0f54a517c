"""First-run and upgrade work: migrations, the sign-in cookie key, the first admin account."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tfdb_dam.config import PROJECT_ROOT
from tfdb_dam.db.engine import Database
from tfdb_dam.db.models import Role
from tfdb_dam.services import users
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.context import Context

_MIGRATION_LOCK = 7_263_100
COOKIE_KEY_FILE = "auth.key"


def alembic_config() -> AlembicConfig:
    cfg = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return cfg


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def migrate(db: Database) -> bool:
    """Bring the schema to the newest revision; True if anything was applied."""
    cfg = alembic_config()
    with db.engine.begin() as conn:
        # Several processes (app, worker, CLI) may start together; one migrates, the rest wait.
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        before = MigrationContext.configure(conn).get_current_revision()
        if before == head_revision():
            return False
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


MIN_KEY_LENGTH = 32


def _write_new_key(home: Path) -> Path:
    """A fresh key in a temporary file (mode 0600, fsynced), ready to be linked into place."""
    temp = home / f".{COOKIE_KEY_FILE}.{secrets.token_hex(6)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48))
        fh.flush()
        os.fsync(fh.fileno())
    return temp


def _key_is_usable(path: Path) -> bool:
    try:
        return len(path.read_text().strip()) >= MIN_KEY_LENGTH
    except FileNotFoundError:
        return False


def ensure_cookie_key(home: Path) -> Path:
    """The sign-in cookie key lives in the data root, never in the repository; mode 0600.

    Written whole or not at all (a process killed mid-write must not leave an empty key that
    would sign forgeable cookies); a key too short to be ours is replaced.
    """
    path = home / COOKIE_KEY_FILE
    if _key_is_usable(path):
        return path
    temp = _write_new_key(home)
    try:
        if path.exists():
            os.replace(temp, path)  # unusable (empty or truncated): replace it
        else:
            os.link(temp, path)  # fails if another process created it meanwhile: keep theirs
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)
    return path


def rotate_cookie_key(home: Path) -> None:
    """A new key invalidates every sign-in cookie: everyone signs in again."""
    temp = _write_new_key(home)
    os.replace(temp, home / COOKIE_KEY_FILE)


def read_cookie_key(home: Path) -> str:
    return ensure_cookie_key(home).read_text().strip()


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str


def ensure_first_admin(ctx: Context) -> FirstAdmin | None:
    """Create `admin` with a fresh random password when there is no administrator at all."""
    try:
        with ctx.db.begin() as session:
            if users.count_admins(session) > 0:
                return None
            password = users.generate_password()
            users.create_user(session, SYSTEM, username="admin", role=Role.admin, password=password,
                              display_name="Quản trị viên")
            return FirstAdmin("admin", password)
    except IntegrityError:
        return None  # another `tfdb init` running at the same moment created it


@dataclass(frozen=True)
class InitReport:
    migrated: bool
    revision: str | None
    first_admin: FirstAdmin | None
    stale_staging_removed: int
    reconciled: int


def initialize(ctx: Context, *, create_admin: bool = True) -> InitReport:
    """Create or migrate everything; safe to run again (a second run changes nothing)."""
    from tfdb_dam.services.reconcile import reconcile_storage

    migrated = migrate(ctx.db)
    ensure_cookie_key(ctx.config.home)
    admin = ensure_first_admin(ctx) if create_admin else None
    removed = ctx.store.cleanup_stale_staging()
    reconciled = reconcile_storage(ctx)
    return InitReport(migrated, current_revision(ctx.db), admin, removed, reconciled)
