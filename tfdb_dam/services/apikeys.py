"""API keys for partner systems: issue (shown once), store hashed, authenticate, scope, revoke.

A key reads ``tfdb_<prefix>_<secret>``: the prefix names the key in lists and logs, the secret
carries 256 random bits. Only the SHA-256 of the whole key is stored; a slow hash would add
nothing against guessing 256 bits and would cost every API request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import ApiKey, Role
from tfdb_dam.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from tfdb_dam.messages import word
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor

SCOPES: dict[str, str] = {
    "read:published": "see published assets, as the public does",
    "read:approved": "also see approved assets not yet published, as signed-in viewers do",
    "download:original": "download original files (otherwise only renditions)",
}
DEFAULT_SCOPES = ("read:published",)
_KEY = re.compile(r"^tfdb_([a-z2-7]{10})_([A-Za-z0-9_-]{43})$")
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
_LAST_USED_PRECISION = dt.timedelta(minutes=1)
INVALID_KEY_MESSAGE = "apikey.invalid"  # a catalogue key (tfdb_dam/messages/access.py)


@dataclass(frozen=True)
class KeyActor(Actor):
    """A partner system acting through an API key; sees like a viewer when it may read approved assets."""

    api_key_id: int | None = None
    scopes: frozenset[str] = frozenset()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the whole key; shown to the administrator once, never stored


def hash_key(presented: str) -> str:
    return hashlib.sha256(presented.encode("utf-8")).hexdigest()


def _require_admin(actor: Actor) -> None:
    if not actor.is_system and actor.role is not Role.admin:
        raise PermissionDenied("permission.api_keys")


def parse_scopes(scopes: list[str] | tuple[str, ...] | None) -> list[str]:
    chosen = list(dict.fromkeys(s.strip() for s in (scopes or DEFAULT_SCOPES) if s.strip()))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValidationError("apikey.scope_unknown", scopes=", ".join(unknown) or word("word.none"),
                              known=", ".join(SCOPES))
    return chosen


def create_key(
    session: Session, actor: Actor, name: str, scopes: list[str] | tuple[str, ...] | None = None
) -> IssuedKey:
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError("apikey.name_missing")
    chosen = parse_scopes(scopes)
    prefix = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(10))
    secret = f"tfdb_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        name=name[:500], prefix=prefix, key_hash=hash_key(secret), scopes=chosen, created_by_id=actor.user_id
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        actor,
        "apikey.create",
        object_type="api_key",
        object_id=key.id,
        details={"name": key.name, "prefix": prefix, "scopes": chosen},
    )
    return IssuedKey(key, secret)


def list_keys(session: Session, actor: Actor) -> list[ApiKey]:
    _require_admin(actor)
    return list(session.execute(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)).scalars())


def revoke_key(session: Session, actor: Actor, key_id: int) -> ApiKey:
    """Revoke a key at once (its next request is refused); revoking twice changes nothing."""
    _require_admin(actor)
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("apikey.missing", key_id=key_id)
    if key.revoked_at is None:
        key.revoked_at = dt.datetime.now(dt.timezone.utc)
        audit.record(
            session,
            actor,
            "apikey.revoke",
            object_type="api_key",
            object_id=key.id,
            details={"name": key.name, "prefix": key.prefix},
        )
    return key


def authenticate(session: Session, presented: str, address: str | None = None) -> KeyActor:
    """The actor a presented key stands for; AuthenticationFailed if unknown, wrong or revoked."""
    match = _KEY.match(presented.strip())
    key = None
    if match:
        key = session.execute(select(ApiKey).where(ApiKey.prefix == match.group(1))).scalar_one_or_none()
    if (
        key is None
        or key.revoked_at is not None
        or not hmac.compare_digest(key.key_hash, hash_key(presented.strip()))
    ):
        raise AuthenticationFailed(INVALID_KEY_MESSAGE)
    now = dt.datetime.now(dt.timezone.utc)
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_PRECISION:
        key.last_used_at = now
    return actor_for_key(key, address)


def actor_for_key(key: ApiKey, address: str | None = None) -> KeyActor:
    scopes = frozenset(key.scopes)
    role = Role.viewer if "read:approved" in scopes else None
    return KeyActor(
        user_id=None,
        username=f"apikey:{key.prefix}",
        role=role,
        address=address,
        api_key_id=key.id,
        scopes=scopes,
    )


def key_record(key: ApiKey) -> dict[str, object]:
    """A key as plain data for lists (never the hash)."""
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": list(key.scopes),
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
        "last_used_at": key.last_used_at,
        "active": key.revoked_at is None,
    }
