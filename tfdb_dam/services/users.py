"""User accounts: create, list, roles, enable/disable, look up as an actor, passwords (bcrypt)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

import bcrypt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Role, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import audit, permissions
from tfdb_dam.services.actors import Actor

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72


def _password_bytes(password: str) -> bytes:
    # NFC: "mậtkhẩu" typed on a Mac (decomposed) and on Windows (composed) is the same password.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(rounds=12)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_password_bytes(password), password_hash.encode("ascii"))
    except ValueError:
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# Names the program itself acts under (services.actors); no person's account may take them.
RESERVED_NAMES = frozenset({"system", "public"})


def validate_username(username: str) -> str:
    name = unicodedata.normalize("NFC", username.strip()).lower()
    if not _USERNAME.match(name):
        raise ValidationError("user.name_invalid")
    if name in RESERVED_NAMES:
        raise ValidationError("user.name_reserved", name=repr(name))
    return name


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError("user.password_short", minimum=MIN_PASSWORD)
    if len(_password_bytes(password)) > MAX_PASSWORD_BYTES:  # bcrypt reads no further
        raise ValidationError("user.password_long", limit=MAX_PASSWORD_BYTES)
    return password


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise ValidationError("user.role_unknown", value=repr(raw)) from None


def _require_admin(actor: Actor) -> None:
    permissions.require(actor, permissions.Capability.manage_users)


def create_user(session: Session, actor: Actor, *, username: str, role: Role | str, password: str,
                display_name: str | None = None, email: str | None = None,
                source_unit: str | None = None) -> User:
    _require_admin(actor)
    name = validate_username(username)
    if session.execute(select(User.id).where(User.username == name)).first():
        raise ValidationError("user.name_taken", name=repr(name))
    user = User(username=name, role=parse_role(role) if isinstance(role, str) else role,
                password_hash=hash_password(validate_password(password)),
                display_name=(display_name or name).strip(), email=email or None,
                source_unit=source_unit or None)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", object_type="user", object_id=user.id,
                 details={"username": name, "role": user.role.value})
    return user


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.username)).scalars())


def count_admins(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(User).where(User.role == Role.admin, User.is_active)).scalar_one()


def get_user(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username.strip().lower())).scalar_one_or_none()
    if user is None:
        raise NotFound("user.missing", name=repr(username))
    return user


def actor_for(session: Session, username: str, address: str | None = None) -> Actor:
    """The acting identity of an active user (for `--as USER` and signed-in sessions)."""
    user = get_user(session, username)
    if not user.is_active:
        raise PermissionDenied("user.disabled", name=repr(user.username))
    return Actor(user_id=user.id, username=user.username, role=user.role, address=address)


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role is Role.admin and user.is_active and count_admins(session) <= 1:
        raise ValidationError("user.last_admin", name=repr(user.username))


def set_role(session: Session, actor: Actor, username: str, role: Role | str) -> User:
    _require_admin(actor)
    user = get_user(session, username)
    new_role = parse_role(role) if isinstance(role, str) else role
    if new_role is user.role:
        return user
    if new_role is not Role.admin:
        _keep_an_admin(session, user)
    before, user.role = user.role, new_role
    session.flush()
    audit.record(session, actor, "user.set_role", object_type="user", object_id=user.id,
                 details={"username": user.username, "before": before.value, "after": new_role.value})
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Disable (sign-in refused, sessions end at their next check) or enable an account."""
    _require_admin(actor)
    user = get_user(session, username)
    if user.is_active == active:
        return user
    if not active:
        if user.id == actor.user_id:
            raise ValidationError("user.disable_self")
        _keep_an_admin(session, user)
    user.is_active = active
    session.flush()
    audit.record(session, actor, "user.enable" if active else "user.disable", object_type="user",
                 object_id=user.id, details={"username": user.username})
    return user


def reset_password(session: Session, actor: Actor, username: str, password: str | None = None) -> str:
    """An administrator sets a new password (a generated one when none is given); returns it."""
    _require_admin(actor)
    user = get_user(session, username)
    new_password = validate_password(password) if password else generate_password()
    store_password(session, user, new_password)
    audit.record(session, actor, "user.password_reset", object_type="user", object_id=user.id,
                 details={"username": user.username})
    return new_password


def store_password(session: Session, user: User, password: str) -> None:
    """Hash and keep a new password; sign-ins from before it stop being accepted (auth.check_session)."""
    user.password_hash = hash_password(validate_password(password))
    user.password_changed_at = dt.datetime.now(dt.timezone.utc)
    session.flush()
