"""Collections (lightboxes): named sets of assets a signed-in user keeps and shares with colleagues.

A collection is seen by its owner and, when ``shared``, by every signed-in user; only its owner
(or an administrator) changes it. Assets are added only if the actor may see them, and whoever
opens a collection sees only its assets they may see (search applies visibility).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Collection, CollectionItem, Role, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.visibility import visible_to

MAX_NAME = 200


@dataclass(frozen=True)
class CollectionSummary:
    id: int
    name: str
    description: str | None
    owner: str | None
    shared: bool
    items: int
    created_at: dt.datetime
    can_edit: bool


def _signed_in(actor: Actor) -> None:
    if actor.user_id is None:
        raise PermissionDenied("Sign in to use collections.")


def _may_edit(actor: Actor, collection: Collection) -> bool:
    return actor.role is Role.admin or (actor.user_id is not None and collection.owner_id == actor.user_id)


def _seen_by(actor: Actor):  # noqa: ANN202 - a SQL clause
    return or_(Collection.owner_id == actor.user_id, Collection.shared.is_(True))


def list_collections(session: Session, actor: Actor) -> list[CollectionSummary]:
    """The actor's own collections and those shared with everyone, newest first."""
    _signed_in(actor)
    counts = (select(CollectionItem.collection_id, func.count().label("n"))
              .group_by(CollectionItem.collection_id).subquery())
    rows = session.execute(
        select(Collection, User.username, func.coalesce(counts.c.n, 0))
        .outerjoin(User, User.id == Collection.owner_id).outerjoin(counts, counts.c.collection_id == Collection.id)
        .where(_seen_by(actor)).order_by(Collection.created_at.desc(), Collection.id.desc())).all()
    return [CollectionSummary(c.id, c.name, c.description, owner, c.shared, n, c.created_at, _may_edit(actor, c))
            for c, owner, n in rows]


def get_collection(session: Session, actor: Actor, collection_id: int) -> Collection:
    _signed_in(actor)
    collection = session.get(Collection, collection_id)
    if collection is None or not (collection.shared or collection.owner_id == actor.user_id
                                  or actor.role is Role.admin):
        raise NotFound(f"There is no collection {collection_id} that you may see.")
    return collection


def _editable(session: Session, actor: Actor, collection_id: int) -> Collection:
    collection = get_collection(session, actor, collection_id)
    if not _may_edit(actor, collection):
        raise PermissionDenied("Only the owner of a collection (or an administrator) can change it.")
    return collection


def _clean_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError("A collection needs a name.")
    if len(text) > MAX_NAME:
        raise ValidationError(f"A collection name may have at most {MAX_NAME} characters.")
    return text


def create_collection(session: Session, actor: Actor, *, name: str, description: str | None = None,
                      shared: bool = True) -> Collection:
    _signed_in(actor)
    collection = Collection(name=_clean_name(name), description=(description or "").strip() or None,
                            owner_id=actor.user_id, shared=shared)
    session.add(collection)
    session.flush()
    audit.record(session, actor, "collection.create", object_type="collection", object_id=collection.id,
                 details={"name": collection.name, "shared": shared})
    return collection


def update_collection(session: Session, actor: Actor, collection_id: int, *, name: str,
                      description: str | None, shared: bool) -> Collection:
    collection = _editable(session, actor, collection_id)
    collection.name, collection.shared = _clean_name(name), shared
    collection.description = (description or "").strip() or None
    audit.record(session, actor, "collection.update", object_type="collection", object_id=collection.id,
                 details={"name": collection.name, "shared": shared})
    return collection


def delete_collection(session: Session, actor: Actor, collection_id: int) -> None:
    collection = _editable(session, actor, collection_id)
    audit.record(session, actor, "collection.delete", object_type="collection", object_id=collection.id,
                 details={"name": collection.name})
    session.delete(collection)


def add_assets(session: Session, actor: Actor, collection_id: int, asset_ids: Sequence[int]) -> int:
    """Add the assets the actor may see; returns how many were new to the collection."""
    collection = _editable(session, actor, collection_id)
    wanted = list(dict.fromkeys(int(i) for i in asset_ids))
    seen = list(session.execute(select(Asset.id).where(Asset.id.in_(wanted), visible_to(actor))).scalars())
    missing = sorted(set(wanted) - set(seen))
    if missing:
        raise NotFound(f"There is no asset {missing[0]} that you may see; nothing was added.")
    if not seen:
        return 0
    added = session.execute(insert(CollectionItem).values(
        [{"collection_id": collection.id, "asset_id": asset_id} for asset_id in seen])
        .on_conflict_do_nothing().returning(CollectionItem.asset_id)).scalars().all()
    if added:
        audit.record(session, actor, "collection.add", object_type="collection", object_id=collection.id,
                     details={"assets": sorted(added)})
    return len(added)


def remove_assets(session: Session, actor: Actor, collection_id: int, asset_ids: Sequence[int]) -> int:
    collection = _editable(session, actor, collection_id)
    removed = session.execute(delete(CollectionItem).where(
        CollectionItem.collection_id == collection.id, CollectionItem.asset_id.in_(list(asset_ids)))
        .returning(CollectionItem.asset_id)).scalars().all()
    if removed:
        audit.record(session, actor, "collection.remove", object_type="collection", object_id=collection.id,
                     details={"assets": sorted(removed)})
    return len(removed)


def editable_collections(session: Session, actor: Actor) -> list[CollectionSummary]:
    """The collections the actor may add assets to (for "add to collection" menus)."""
    return [c for c in list_collections(session, actor) if c.can_edit]
