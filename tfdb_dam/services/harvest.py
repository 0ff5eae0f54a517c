"""What OAI-PMH harvesters may collect: public records, the deletions of once-public ones, datestamps, sets.

A record is live while the public may see the asset (visibility.publicly_visible). An asset that
was public once and is not any more (unpublished, archived, rights expired) stays as a deleted
record for ever (deletedRecord = persistent), so harvesters learn to take it down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, DateTime, and_, case, cast, func, not_, or_, select, tuple_
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetStatus, Category
from tfdb_dam.services.visibility import OFFICE_TZ, publicly_visible, rights_current


@dataclass(frozen=True)
class HarvestFilter:
    from_: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive upper bound (the caller adds the granularity step)
    category_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class HarvestRecord:
    asset: Asset
    datestamp: dt.datetime
    deleted: bool


def datestamp() -> ColumnElement[dt.datetime]:
    """When the record last changed for the public.

    Rights end without any write to the row, so a published asset whose rights have run out is
    dated at the first moment after its last day of use, by the office calendar that
    ``visibility`` uses (or later, if the rights sweep touched it since).
    """
    base = func.coalesce(Asset.public_changed_at, Asset.published_at, Asset.updated_at)
    ended_at = func.timezone(OFFICE_TZ.key, cast(Asset.rights_expires_on + 1, DateTime))
    ended = and_(Asset.status == AssetStatus.published, not_(rights_current()))
    return case((ended, func.greatest(base, ended_at)), else_=base)


def harvestable() -> ColumnElement[bool]:
    return or_(publicly_visible(), Asset.ever_published.is_(True))


def _where(filters: HarvestFilter) -> list[ColumnElement[bool]]:
    clauses = [harvestable()]
    if filters.from_ is not None:
        clauses.append(datestamp() >= filters.from_)
    if filters.until is not None:
        clauses.append(datestamp() < filters.until)
    if filters.category_ids is not None:
        clauses.append(Asset.category_id.in_(filters.category_ids))
    return clauses


def list_records(
    session: Session, filters: HarvestFilter, *, after: tuple[dt.datetime, int] | None, limit: int
) -> list[HarvestRecord]:
    """Up to ``limit`` records in (datestamp, id) order, strictly after the ``after`` position."""
    stamp = datestamp()
    query = select(Asset, stamp, publicly_visible()).where(*_where(filters))
    if after is not None:
        query = query.where(tuple_(stamp, Asset.id) > tuple_(after[0], after[1]))
    rows = session.execute(query.order_by(stamp, Asset.id).limit(limit)).all()
    return [HarvestRecord(asset, stamp_value, not live) for asset, stamp_value, live in rows]


def count_records(session: Session, filters: HarvestFilter) -> int:
    return session.execute(select(func.count()).select_from(Asset).where(*_where(filters))).scalar_one()


def get_record(session: Session, asset_id: int) -> HarvestRecord | None:
    row = session.execute(
        select(Asset, datestamp(), publicly_visible()).where(Asset.id == asset_id, harvestable())
    ).first()
    return HarvestRecord(row[0], row[1], not row[2]) if row else None


def earliest_datestamp(session: Session) -> dt.datetime | None:
    return session.execute(select(func.min(datestamp())).where(harvestable())).scalar_one()


def set_specs(session: Session) -> dict[int, str]:
    """Each category's setSpec: its slug, prefixed by its parents' slugs (parent:child)."""
    rows = {c.id: c for c in session.execute(select(Category)).scalars()}

    def spec(category: Category, seen: frozenset[int] = frozenset()) -> str:
        parent = rows.get(category.parent_id) if category.parent_id not in seen else None
        return f"{spec(parent, seen | {category.id})}:{category.slug}" if parent else category.slug

    return {cid: spec(c) for cid, c in rows.items()}


def categories_in_set(specs: dict[int, str], set_spec: str) -> tuple[int, ...]:
    """Ids of the categories in a set and below it (an unknown set gives none)."""
    return tuple(
        sorted(cid for cid, spec in specs.items() if spec == set_spec or spec.startswith(set_spec + ":"))
    )


def header_specs(specs: dict[int, str], category_id: int | None) -> list[str]:
    """The set and its parent sets, since an item in a:b is in a too."""
    if category_id is None or category_id not in specs:
        return []
    parts = specs[category_id].split(":")
    return [":".join(parts[:i]) for i in range(1, len(parts) + 1)]
