"""Sharing a collection with named colleagues: who may be chosen, adding and removing them, and
the in-app notification each newly chosen colleague gets (emailed too when they have an address).

Only the collection's owner (or an administrator) changes who it is shared with; each change is
audited in the same transaction. Each colleague is view-only or may also add and remove assets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Collection, CollectionShare, Notification, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.jobs.queue import defer
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.notify import EMAIL_TASK
from tfdb_dam.services.ui_collections import get_collection, managed


@dataclass(frozen=True)
class Colleague:
    user_id: int
    username: str
    display_name: str | None

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.username})" if self.display_name else self.username


@dataclass(frozen=True)
class Share:
    colleague: Colleague
    can_edit: bool
    shared_at: dt.datetime


def colleagues(session: Session, actor: Actor) -> list[Colleague]:
    """Every other active user, by name: whom a collection may be shared with."""
    if actor.user_id is None:
        raise PermissionDenied("collection.sign_in")
    rows = session.execute(select(User.id, User.username, User.display_name)
                           .where(User.is_active, User.id != actor.user_id)
                           .order_by(User.display_name, User.username)).all()
    return [Colleague(*row) for row in rows]


def shares_of(session: Session, actor: Actor, collection_id: int) -> list[Share]:
    """Whom the collection is shared with by name (for anyone who may see it)."""
    get_collection(session, actor, collection_id)
    rows = session.execute(
        select(User.id, User.username, User.display_name, CollectionShare.can_edit, CollectionShare.shared_at)
        .join(User, User.id == CollectionShare.user_id).where(CollectionShare.collection_id == collection_id)
        .order_by(User.display_name, User.username)).all()
    return [Share(Colleague(uid, name, shown), can_edit, at) for uid, name, shown, can_edit, at in rows]


def _recipients(session: Session, collection: Collection, user_ids: Sequence[int]) -> list[User]:
    wanted = list(dict.fromkeys(int(i) for i in user_ids))
    if not wanted:
        raise ValidationError("collection.share_nobody")
    found = {u.id: u for u in session.execute(select(User).where(User.id.in_(wanted), User.is_active)).scalars()}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound("collection.share_user_missing", user=missing[0])
    if collection.owner_id in found:
        raise ValidationError("collection.share_owner")
    return [found[i] for i in wanted]


def share_collection(session: Session, actor: Actor, collection_id: int, user_ids: Sequence[int], *,
                     can_edit: bool = False) -> list[int]:
    """Share with these colleagues (view-only or editing); a colleague already chosen gets the new
    permission. Returns the ids of colleagues newly shared with, who are notified."""
    collection = managed(session, actor, collection_id)
    people = _recipients(session, collection, user_ids)
    existing = {s.user_id: s for s in session.execute(select(CollectionShare).where(
        CollectionShare.collection_id == collection.id)).scalars()}
    new = [u for u in people if u.id not in existing]
    for user in people:
        if user.id in existing:
            existing[user.id].can_edit = can_edit
        else:
            session.add(CollectionShare(collection_id=collection.id, user_id=user.id, can_edit=can_edit))
    session.flush()
    audit.record(session, actor, "collection.share", object_type="collection", object_id=collection.id,
                 details={"users": [u.username for u in people], "can_edit": can_edit})
    _notify(session, actor, collection, new, can_edit)
    return [u.id for u in new]


def unshare_collection(session: Session, actor: Actor, collection_id: int, user_ids: Sequence[int]) -> int:
    """Stop sharing with these colleagues; returns how many lost access by name."""
    collection = managed(session, actor, collection_id)
    removed = session.execute(delete(CollectionShare).where(
        CollectionShare.collection_id == collection.id, CollectionShare.user_id.in_([int(i) for i in user_ids]))
        .returning(CollectionShare.user_id)).scalars().all()
    if removed:
        names = session.execute(select(User.username).where(User.id.in_(removed)).order_by(User.username))
        audit.record(session, actor, "collection.unshare", object_type="collection", object_id=collection.id,
                     details={"users": list(names.scalars())})
    return len(removed)


def compose(collection: Collection, who: str, can_edit: bool) -> tuple[str, str]:
    """(subject, body): Vietnamese first, then English, as every notification."""
    right_vi, right_en = ("được thêm, bớt tư liệu", "can add and remove assets") if can_edit else \
        ("chỉ xem", "view only")
    subject = f"[TFDB DAM] Bộ sưu tập được chia sẻ / Collection shared: {collection.name}"[:500]
    vi = (f"{who} đã chia sẻ bộ sưu tập «{collection.name}» với bạn ({right_vi}). "
          "Mở trang Bộ sưu tập để xem.")
    en = (f"{who} shared the collection “{collection.name}” with you ({right_en}). "
          "Open the Collections page to see it.")
    return subject, f"{vi}\n\n{en}"


def _notify(session: Session, actor: Actor, collection: Collection, people: list[User], can_edit: bool) -> None:
    subject, body = compose(collection, actor.username, can_edit)
    rows = [Notification(user_id=u.id, subject=subject, body=body, email_state="pending" if u.email else "none")
            for u in people]
    session.add_all(rows)
    session.flush()
    for row in rows:  # the email goes out after the commit, through the same outbox as workflow mail
        if row.email_state == "pending":
            defer(session, EMAIL_TASK, notification_id=row.id)
