"""Search filters as SQL conditions on ``assets``: kind, status, taxonomy, tags, people, camera,
capture dates, GPS, map box, collection — and the visibility rule, always."""

from __future__ import annotations

import datetime as dt

from collections.abc import Sequence

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from tfdb_dam.db.models import (
    Asset,
    AssetKind,
    AssetStatus,
    AssetTag,
    Category,
    CollectionItem,
    Tag,
)
from tfdb_dam.errors import UsageError
from tfdb_dam.messages import word
from tfdb_dam.search.text import fold
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.collection_access import visible_collection
from tfdb_dam.services.search_types import SearchFilters
from tfdb_dam.services.visibility import visible_to

# Capture dates are calendar days where the newsroom is: Vietnam, UTC+7 all year (no DST).
NEWSROOM_TZ = dt.timezone(dt.timedelta(hours=7))


def camera_label() -> ColumnElement[str]:
    """ "Make Model" as the camera facet shows it."""
    return func.concat_ws(" ", Asset.camera_make, Asset.camera_model)


def _enum_values(raw: list[str], enum_type, what: str) -> list:  # noqa: ANN001
    try:
        return [enum_type(value.strip().lower()) for value in raw]
    except ValueError:
        known = ", ".join(m.value for m in enum_type)
        raise UsageError("search.value_unknown", what=word(f"word.filter.{what}"), value=repr(raw),
                         known=known) from None


def _category_ids(session: Session, slugs: list[str]) -> list[int]:
    """The categories named by ``slugs`` and everything below them in the taxonomy."""
    rows = session.execute(select(Category.id, Category.slug, Category.parent_id)).all()
    wanted = {row.id for row in rows if row.slug in {s.strip().lower() for s in slugs}}
    if not wanted:
        raise UsageError("search.category_unknown", slugs=", ".join(slugs))
    children: dict[int | None, list[int]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row.id)
    pending = list(wanted)
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in wanted:
                wanted.add(child)
                pending.append(child)
    return sorted(wanted)


def _has_tag(tag: str) -> ColumnElement[bool]:
    return exists(
        select(AssetTag.asset_id)
        .join(Tag, Tag.id == AssetTag.tag_id)
        .where(AssetTag.asset_id == Asset.id, Tag.name_folded == fold(tag))
    )


def _folded_in(column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
    return func.tfdb_fold(column).in_(sorted({fold(v) for v in values}))


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), NEWSROOM_TZ)


def _captured(filters: SearchFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.captured_from:
        conditions.append(Asset.captured_at >= _day_start(filters.captured_from))
    if filters.captured_to:
        conditions.append(Asset.captured_at < _day_start(filters.captured_to + dt.timedelta(days=1)))
    return conditions


def _in_box(bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
    min_lon, min_lat, max_lon, max_lat = bbox
    lon = (
        Asset.gps_lon.between(min_lon, max_lon)
        if min_lon <= max_lon  # a box across 180° wraps
        else or_(Asset.gps_lon >= min_lon, Asset.gps_lon <= max_lon)
    )
    return and_(Asset.gps_lat.between(min_lat, max_lat), lon)


def _in_collection(session: Session, actor: Actor, collection_id: int) -> ColumnElement[bool]:
    visible_collection(session, actor, collection_id)  # the collections rule; NotFound otherwise
    return exists(
        select(CollectionItem.asset_id).where(
            CollectionItem.collection_id == collection_id, CollectionItem.asset_id == Asset.id
        )
    )


def among(
    ids: Sequence[int], name: str = "asset_ids", column: ColumnElement[int] | None = None
) -> ColumnElement[bool]:
    """``assets.id = ANY(:ids)`` (or ``column``): one parameter where IN would send a thousand,
    written as the array's text so that the driver need not convert each element."""
    literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
    array = cast(bindparam(name, literal, type_=Text), ARRAY(BigInteger))
    return (Asset.id if column is None else column) == any_(array)


def filter_conditions(session: Session, actor: Actor, filters: SearchFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions for ``filters`` within what ``actor`` may see (visibility always first)."""
    conditions: list[ColumnElement[bool]] = [visible_to(actor)]
    if filters.kinds:
        conditions.append(Asset.kind.in_(_enum_values(filters.kinds, AssetKind, "kind")))
    if filters.statuses:
        conditions.append(Asset.status.in_(_enum_values(filters.statuses, AssetStatus, "status")))
    if filters.categories:
        conditions.append(Asset.category_id.in_(_category_ids(session, filters.categories)))
    conditions += [_has_tag(tag) for tag in filters.tags if fold(tag)]
    if filters.source_units:
        conditions.append(_folded_in(Asset.source_unit, filters.source_units))
    if filters.credits:
        conditions.append(_folded_in(Asset.credit, filters.credits))
    if filters.cameras:
        conditions.append(_folded_in(camera_label(), filters.cameras))
    if filters.licenses:
        conditions.append(func.lower(Asset.license).in_(sorted({v.strip().lower() for v in filters.licenses})))
    conditions += _captured(filters)
    if filters.has_gps is not None:
        located = and_(Asset.gps_lat.is_not(None), Asset.gps_lon.is_not(None))
        conditions.append(located if filters.has_gps else ~located)
    if filters.bbox is not None:
        conditions.append(_in_box(filters.bbox))
    if filters.collection_id is not None:
        conditions.append(_in_collection(session, actor, filters.collection_id))
    if filters.created_by_me:
        conditions.append(Asset.created_by_id == actor.user_id if actor.user_id is not None else false())
    return conditions
