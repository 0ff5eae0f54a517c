"""Signing in, framework-free: the password gate with throttling, password changes, sessions.

The app shows streamlit-authenticator's widgets, but ``authenticate`` is the only gate: the
credentials handed to the widget carry a hash nobody knows the password of, so its own login
form can never let anyone in, and its cookie (a JWT signed with the key in the data root,
same format as ``issue_token``) is re-checked against the database by ``check_token``.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import bcrypt
import jwt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.config import Config, load_config
from tfdb_dam.db.models import SignInAttempt, User
from tfdb_dam.errors import AuthenticationFailed, ConfigError, ValidationError
from tfdb_dam.services import audit, users
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.setup import COOKIE_KEY_FILE

WINDOW = dt.timedelta(minutes=15)
COOKIE_NAME = "tfdb_dam_auth"  # the name the app (ui/auth.py) gives it
WRONG = "auth.wrong"  # also for unknown users; catalogue keys (tfdb_dam/messages/access.py)
ENDED = "auth.ended"


@lru_cache(maxsize=1)
def _unguessable_hash() -> str:
    # A bcrypt hash of a random secret nobody keeps: checking against it costs what a real
    # check costs (unknown users take as long as known ones) and can never succeed.
    return bcrypt.hashpw(secrets.token_urlsafe(32).encode(), bcrypt.gensalt(rounds=12)).decode("ascii")


def _name(username: str) -> str:
    return unicodedata.normalize("NFC", (username or "").strip()).lower()[:64]


def _now(session: Session) -> dt.datetime:
    return session.execute(select(func.now())).scalar_one()


def throttle_minutes(session: Session, username: str, address: str, max_failures: int) -> int | None:
    """Minutes until sign-in may be tried again for this user or address; None when it may now."""
    now = _now(session)
    last_ok = session.execute(select(func.max(SignInAttempt.at)).where(
        SignInAttempt.username == username, SignInAttempt.succeeded)).scalar()
    since_user = max(now - WINDOW, last_ok) if last_ok else now - WINDOW
    waits = [_wait(session, SignInAttempt.username == username, since_user, max_failures, now),
             _wait(session, SignInAttempt.address == address, now - WINDOW, max_failures, now)]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def _wait(session: Session, who: Any, since: dt.datetime, max_failures: int, now: dt.datetime) -> int | None:
    failures = list(session.execute(select(SignInAttempt.at).where(
        who, ~SignInAttempt.succeeded, ~SignInAttempt.throttled, SignInAttempt.at > since)
        .order_by(SignInAttempt.at.desc()).limit(max_failures)).scalars())
    if len(failures) < max_failures:
        return None
    # Sign-in reopens when the max_failures-th most recent failure leaves the window.
    return max(1, math.ceil((failures[-1] + WINDOW - now).total_seconds() / 60))


def _record(session: Session, username: str, address: str, *, user: User | None, succeeded: bool,
            why: str | None = None, throttled: bool = False) -> None:
    # In its own transaction: a failed sign-in raises, which rolls the caller's transaction
    # back, and the failure must be kept all the same or throttling would count nothing.
    with Session(bind=session.get_bind()) as own, own.begin():
        own.add(SignInAttempt(username=username, address=address, succeeded=succeeded, throttled=throttled))
        actor = Actor(user.id, user.username, user.role, address) if user is not None and succeeded else None
        audit.record(own, actor, "auth.sign_in" if succeeded else "auth.sign_in_failed",
                     object_type="user", object_id=user.id if user else None, address=address,
                     details={"username": username} | ({"reason": why} if why else {}))


def _paused(minutes: int) -> AuthenticationFailed:
    return AuthenticationFailed("auth.paused_one" if minutes == 1 else "auth.paused", minutes=minutes)


def _limit(max_failures: int | None) -> int:
    return max_failures if max_failures is not None else load_config().tfdb_signin_max_failures


def authenticate(session: Session, username: str, password: str, address: str | None, *,
                 max_failures: int | None = None) -> Actor:
    """The signed-in Actor, or AuthenticationFailed (one sentence); every attempt is recorded.

    ``max_failures`` defaults to TFDB_SIGNIN_MAX_FAILURES; failures are counted per user name
    and per address within 15 minutes.
    """
    name, address = _name(username), (address or "unknown")[:100]
    wait = throttle_minutes(session, name, address, _limit(max_failures))
    user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    if wait is not None:
        _record(session, name, address, user=user, succeeded=False, why="throttled", throttled=True)
        raise _paused(wait)
    if not users.check_password(password or "", user.password_hash if user else _unguessable_hash()):
        _record(session, name, address, user=user, succeeded=False,
                why="wrong password" if user else "unknown user")
        raise AuthenticationFailed(WRONG)
    if not user.is_active:
        _record(session, name, address, user=user, succeeded=False, why="disabled")
        raise AuthenticationFailed("auth.disabled")
    _record(session, name, address, user=user, succeeded=True)
    return Actor(user.id, user.username, user.role, address)


def change_password(session: Session, actor: Actor, old: str, new: str, *,
                    max_failures: int | None = None) -> None:
    """The signed-in user changes their own password; other sign-ins of theirs end (check_token)."""
    if actor.user_id is None:
        raise AuthenticationFailed("auth.sign_in_to_change_password")
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed(ENDED)
    address = (actor.address or "unknown")[:100]
    wait = throttle_minutes(session, user.username, address, _limit(max_failures))
    if wait is not None:
        raise _paused(wait)
    if not users.check_password(old or "", user.password_hash):
        _record(session, user.username, address, user=user, succeeded=False, why="wrong current password")
        raise AuthenticationFailed("auth.current_password_wrong")
    if new == old:
        raise ValidationError("auth.password_unchanged")
    users.store_password(session, user, new)
    audit.record(session, actor, "auth.password_change", object_type="user", object_id=user.id,
                 details={"username": user.username})


def credentials_for_authenticator(session: Session) -> dict[str, Any]:
    """The ``credentials`` dict streamlit-authenticator expects, for active users only.

    Its cookie re-login refuses names missing here (so disabled users are out). Passwords are
    an unguessable hash: the widget's own login, which counts no failures, can never succeed.
    """
    rows = session.execute(select(User).where(User.is_active).order_by(User.username)).scalars()
    return {"usernames": {user.username: {
        "name": user.display_name, "email": user.email or "", "password": _unguessable_hash(),
        "roles": [user.role.value], "failed_login_attempts": 0, "logged_in": False,
    } for user in rows}}


@dataclass(frozen=True)
class CookieSettings:
    """What streamlit_authenticator.Authenticate(credentials, name, key, expiry_days) needs."""

    name: str
    key: str
    expiry_days: float
    hours: int


def cookie_settings(config: Config) -> CookieSettings:
    path = config.home / COOKIE_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigError("auth.key_missing", path=path) from None
    hours = min(config.tfdb_session_hours, 24)
    return CookieSettings(COOKIE_NAME, key, hours / 24, hours)


def issue_token(settings: CookieSettings, username: str, now: dt.datetime | None = None) -> str:
    """A sign-in cookie value in streamlit-authenticator's format, valid for the session hours."""
    now = now or dt.datetime.now(dt.timezone.utc)
    expires = now + dt.timedelta(hours=settings.hours)
    claims = {"username": username, "exp_date": expires.timestamp()}
    return jwt.encode(claims, settings.key, algorithm="HS256")


def check_token(session: Session, settings: CookieSettings, token: str | None,
                address: str | None = None) -> Actor:
    """The Actor a sign-in cookie stands for, re-checked against the database on every use.

    Refused (AuthenticationFailed) when the signature is not ours (e.g. the key was rotated),
    it expired, the account was disabled, or the password changed after it was issued.
    """
    try:
        claims = jwt.decode(token or "", settings.key, algorithms=["HS256"])
        username, expires = str(claims["username"]), float(claims["exp_date"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        raise AuthenticationFailed(ENDED) from None
    now = dt.datetime.now(dt.timezone.utc)
    if expires <= now.timestamp():
        raise AuthenticationFailed(ENDED)
    issued = dt.datetime.fromtimestamp(expires, dt.timezone.utc) - dt.timedelta(hours=settings.hours)
    return check_session(session, username, issued, address)


def check_session(session: Session, username: str, signed_in_at: dt.datetime,
                  address: str | None = None) -> Actor:
    """The Actor of a session begun at ``signed_in_at``, if the account still allows it."""
    user = session.execute(select(User).where(User.username == _name(username))).scalar_one_or_none()
    if user is None or not user.is_active:
        raise AuthenticationFailed(ENDED)
    changed = user.password_changed_at
    if changed is not None and changed > signed_in_at + dt.timedelta(seconds=1):  # float rounding of exp_date
        raise AuthenticationFailed(ENDED)
    return Actor(user.id, user.username, user.role, address)
