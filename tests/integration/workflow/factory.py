"""Rows for workflow tests, made directly (no ingest pipeline): users with cheap hashes, assets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import bcrypt

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, ProcessingState, Role, User
from tfdb_dam.services.actors import PUBLIC, Actor

PASSWORD = "mật-khẩu-thử-1"
# Four bcrypt rounds: the code under test checks any cost, and tests make many users.
_CHEAP_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()


def make_user(session, username: str, role: Role, *, email: str | None = None) -> User:  # noqa: ANN001
    user = User(username=username, display_name=username.title(), role=role, password_hash=_CHEAP_HASH,
                email=email)
    session.add(user)
    session.flush()
    return user


def actor(user: User | None) -> Actor:
    return PUBLIC if user is None else Actor(user.id, user.username, user.role, "127.0.0.1")


def make_asset(session, owner: User | None, *, status: AssetStatus = AssetStatus.draft,  # noqa: ANN001
               submitted_by: User | None = None, **fields: Any) -> Asset:
    """A ready photo with everything publishing needs, unless ``fields`` say otherwise."""
    values: dict[str, Any] = dict(
        kind=AssetKind.photo, status=status, processing=ProcessingState.ready,
        sha256=secrets.token_hex(32), size_bytes=123_456, mime_type="image/jpeg", ext="jpg",
        original_filename="dai-noi-hue.jpg", title_vi="Đại Nội Huế", title_en="Huế Imperial City",
        credit="Sở Ngoại vụ Thừa Thiên Huế", license="CC-BY-4.0",
        created_by_id=owner.id if owner else None,
        submitted_by_id=submitted_by.id if submitted_by else None,
    )
    values.update(fields)
    asset = Asset(**values)
    session.add(asset)
    session.flush()
    return asset


@dataclass
class People:
    admin: User
    approver: User
    approver2: User
    contributor: User
    contributor2: User
    viewer: User

    def ids(self) -> dict[str, int]:
        return {name: getattr(self, name).id for name in self.__dataclass_fields__}


def make_people(session, *, emails: bool = False) -> People:  # noqa: ANN001
    def user(name: str, role: Role) -> User:
        return make_user(session, name, role, email=f"{name}@so-ngoai-vu.example" if emails else None)

    return People(user("quantri", Role.admin), user("lan", Role.approver), user("minh", Role.approver),
                  user("hoa", Role.contributor), user("tuan", Role.contributor), user("bao", Role.viewer))

