"""Collections (lightboxes): named sets of assets a signed-in user keeps and shares with colleagues.

Who sees a collection is ``services.collection_access`` (owner, everyone when ``shared``, the
colleagues it is shared with by name, administrators); its owner (or an administrator) manages it,
and colleagues it is shared with for editing add and remove assets. Assets are added only if the
actor may see them, and whoever opens a collection sees only its assets they may see (search
applies visibility). Sharing with named colleagues is ``services.collection_shares``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Collection, CollectionItem, CollectionShare, Role, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.collection_access import access_to, member_of, visible_collection
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
    can_edit: bool  # may add and remove assets
    can_manage: bool = False  # may rename, share, delete (owner, administrator)
    people: int = 0  # colleagues it is shared with by name
    mine: bool = False


def _counts(column, group):  # noqa: ANN001, ANN202 - a subquery
    return select(group.label("collection_id"), func.count(column).label("n")).group_by(group).subquery()


def _signed_in(actor: Actor) -> None:
    if actor.user_id is None:
        raise PermissionDenied("collection.sign_in")


def list_collections(session: Session, actor: Actor) -> list[CollectionSummary]:
    """The actor's own collections and those shared with them (with all or by name), newest first."""
    _signed_in(actor)
    items = _counts(CollectionItem.asset_id, CollectionItem.collection_id)
    people = _counts(CollectionShare.user_id, CollectionShare.collection_id)
    mine = CollectionShare.__table__.alias("mine")
    rows = session.execute(
        select(Collection, User.username, func.coalesce(items.c.n, 0), func.coalesce(people.c.n, 0),
               mine.c.can_edit)
        .outerjoin(User, User.id == Collection.owner_id)
        .outerjoin(items, items.c.collection_id == Collection.id)
        .outerjoin(people, people.c.collection_id == Collection.id)
        .outerjoin(mine, (mine.c.collection_id == Collection.id) & (mine.c.user_id == actor.user_id))
        .where(member_of(actor)).order_by(Collection.created_at.desc(), Collection.id.desc())).all()
    return [_summary(actor, c, owner, n, p, named_edit) for c, owner, n, p, named_edit in rows]


def _summary(actor: Actor, c: Collection, owner: str | None, items: int, people: int,
             named_edit: bool | None) -> CollectionSummary:
    mine = c.owner_id == actor.user_id
    manage = mine or actor.role is Role.admin
    return CollectionSummary(c.id, c.name, c.description, owner, c.shared, items, c.created_at,
                             can_edit=manage or bool(named_edit), can_manage=manage, people=people, mine=mine)


def shared_with_me(session: Session, actor: Actor) -> list[CollectionSummary]:
    """The colleagues' collections the actor may open (shared with them by name or with all)."""
    return [c for c in list_collections(session, actor) if not c.mine]


def get_collection(session: Session, actor: Actor, collection_id: int) -> Collection:
    _signed_in(actor)
    return visible_collection(session, actor, collection_id)


def _editable(session: Session, actor: Actor, collection_id: int) -> Collection:
    """A collection whose assets the actor may add and remove (owner, administrator, editor)."""
    collection = get_collection(session, actor, collection_id)
    if access_to(session, actor, collection) not in ("manage", "edit"):
        raise PermissionDenied("collection.edit_assets_denied")
    return collection


def managed(session: Session, actor: Actor, collection_id: int) -> Collection:
    """A collection the actor may rename, share or delete (its owner or an administrator)."""
    collection = get_collection(session, actor, collection_id)
    if access_to(session, actor, collection) != "manage":
        raise PermissionDenied("collection.change_denied")
    return collection


def _clean_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError("collection.name_missing")
    if len(text) > MAX_NAME:
        raise ValidationError("collection.name_too_long", limit=MAX_NAME)
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
    collection = managed(session, actor, collection_id)
    collection.name, collection.shared = _clean_name(name), shared
    collection.description = (description or "").strip() or None
    audit.record(session, actor, "collection.update", object_type="collection", object_id=collection.id,
                 details={"name": collection.name, "shared": shared})
    return collection


def delete_collection(session: Session, actor: Actor, collection_id: int) -> None:
    collection = managed(session, actor, collection_id)
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
        raise NotFound("collection.asset_not_visible", asset_id=missing[0])
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
