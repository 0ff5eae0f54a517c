"""User accounts: create, list, look up as an actor, passwords (bcrypt)."""

from __future__ import annotations

import re
import secrets
import unicodedata

import bcrypt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Role, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except ValueError:
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def validate_username(username: str) -> str:
    name = unicodedata.normalize("NFC", username.strip()).lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            "A user name is 2–64 characters of lower-case letters, digits, dots, dashes or underscores.")
    return name


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"A password needs at least {MIN_PASSWORD} characters.")
    return password


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise ValidationError(f"Unknown role {raw!r}; use admin, approver, contributor or viewer.") from None


def _require_admin(actor: Actor) -> None:
    if not actor.is_system and actor.role is not Role.admin:
        raise PermissionDenied("Only an administrator can manage users.")


def create_user(session: Session, actor: Actor, *, username: str, role: Role | str, password: str,
                display_name: str | None = None, email: str | None = None,
                source_unit: str | None = None) -> User:
    _require_admin(actor)
    name = validate_username(username)
    if session.execute(select(User.id).where(User.username == name)).first():
        raise ValidationError(f"The user name {name!r} is already taken.")
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
        raise NotFound(f"There is no user named {username!r}.")
    return user


def actor_for(session: Session, username: str, address: str | None = None) -> Actor:
    """The acting identity of an active user (for `--as USER` and signed-in sessions)."""
    user = get_user(session, username)
    if not user.is_active:
        raise PermissionDenied(f"The account {user.username!r} is disabled.")
    return Actor(user_id=user.id, username=user.username, role=user.role, address=address)
