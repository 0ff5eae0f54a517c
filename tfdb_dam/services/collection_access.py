"""Who may see, edit and manage a collection: the one rule every channel (app, search, export) uses.

A collection is seen by its owner, by everyone signed in when it is shared with all colleagues, by
the colleagues it is shared with by name, and by administrators (and the system), who tidy up.
Its assets are a separate matter: whoever opens a collection still sees only the assets
``services.visibility`` lets them see, so a view-only colleague never meets a draft through it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, exists, false, or_, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Collection, CollectionShare, Role
from tfdb_dam.errors import NotFound
from tfdb_dam.services.actors import Actor

Access = Literal["manage", "edit", "view"]


def _administers(actor: Actor) -> bool:
    return actor.is_system or (actor.user_id is not None and actor.role is Role.admin)


def member_of(actor: Actor) -> ColumnElement[bool]:
    """SQL: the collections the actor owns or that are shared with them (with all, or by name)."""
    if actor.user_id is None:
        return false()
    named = exists(select(CollectionShare.user_id).where(
        CollectionShare.collection_id == Collection.id, CollectionShare.user_id == actor.user_id))
    return or_(Collection.owner_id == actor.user_id, Collection.shared.is_(True), named)


def access_to(session: Session, actor: Actor, collection: Collection) -> Access | None:
    """manage (owner, administrator: everything), edit (add/remove assets), view, or None."""
    if _administers(actor) or (actor.user_id is not None and collection.owner_id == actor.user_id):
        return "manage"
    if actor.user_id is None:
        return None
    share = session.get(CollectionShare, (collection.id, actor.user_id))
    if share is not None:
        return "edit" if share.can_edit else "view"
    return "view" if collection.shared else None


def visible_collection(session: Session, actor: Actor, collection_id: int) -> Collection:
    """The collection if the actor may see it; otherwise NotFound, as if it did not exist."""
    collection = session.get(Collection, collection_id)
    if collection is None or access_to(session, actor, collection) is None:
        raise NotFound("collection.not_visible", collection_id=collection_id)
    return collection
