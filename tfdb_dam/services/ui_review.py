"""The review queue as approvers see it: what waits (oldest first, through the search service)
with what a decision needs beside the preview — both titles, description, rights, who submitted
it and when, any duplicate warning, and what is still missing for publication."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, ReviewEvent, User
from tfdb_dam.services import search as search_service
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.permissions import Capability, require
from tfdb_dam.services.review_rules import PUBLIC_FIELDS
from tfdb_dam.services.search_types import SearchFilters, SearchHit, SearchRequest

WAITING = ("submitted", "approved")  # approve or reject; then publish


@dataclass(frozen=True)
class ReviewItem:
    hit: SearchHit
    version: int
    description_vi: str | None
    description_en: str | None
    category: tuple[str, str] | None
    source_unit: str | None
    license: str | None
    submitted_by: str | None
    submitted_at: dt.datetime | None
    near_duplicate_of: int | None
    missing: list[str]          # fields publication still needs (title_vi, title_en, credit, license)


@dataclass(frozen=True)
class ReviewQueue:
    status: str
    items: list[ReviewItem]
    total: int
    counts: dict[str, int]
    total_exact: bool = True  # False: more than ``total`` wait (the search stops counting at a cap)


def review_queue(session: Session, ctx: Context, actor: Actor, status: str = "submitted", *, query: str = "",
                 page: int = 1, per_page: int = 20) -> ReviewQueue:
    """One page of assets in ``status`` (submitted or approved), oldest first."""
    require(actor, Capability.review_queue)
    if status not in WAITING:
        status = WAITING[0]
    request = SearchRequest(query=query, filters=SearchFilters(statuses=[status]), page=page, per_page=per_page,
                            sort="oldest", with_facets=False)
    result = search_service.search(session, ctx, actor, request)
    rows = session.execute(select(Asset.status, func.count()).where(Asset.status.in_(WAITING))
                           .group_by(Asset.status)).all()
    counts = {name: 0 for name in WAITING} | {state.value: n for state, n in rows}
    return ReviewQueue(status, _items(session, result.hits), result.total, counts, result.total_exact)


def _items(session: Session, hits: list[SearchHit]) -> list[ReviewItem]:
    ids = [h.asset_id for h in hits]
    if not ids:
        return []
    assets = {a.id: a for a in session.execute(select(Asset).where(Asset.id.in_(ids))).scalars()}
    submitted = _last_submissions(session, ids)
    items = []
    for hit in hits:
        asset = assets[hit.asset_id]
        who, when = submitted.get(asset.id, (None, None))
        items.append(ReviewItem(
            hit=hit, version=asset.version, description_vi=asset.description_vi,
            description_en=asset.description_en,
            category=(asset.category.label_vi, asset.category.label_en) if asset.category else None,
            source_unit=asset.source_unit, license=asset.license, submitted_by=who, submitted_at=when,
            near_duplicate_of=asset.near_duplicate_of_id,
            missing=[name for name, _label in PUBLIC_FIELDS if not (getattr(asset, name) or "").strip()]))
    return items


def _last_submissions(session: Session, ids: list[int]) -> dict[int, tuple[str | None, dt.datetime]]:
    latest = (select(ReviewEvent.asset_id, func.max(ReviewEvent.id).label("event_id"))
              .where(ReviewEvent.asset_id.in_(ids), ReviewEvent.action == "submit")
              .group_by(ReviewEvent.asset_id).subquery())
    rows = session.execute(select(ReviewEvent.asset_id, User.username, ReviewEvent.at)
                           .join(latest, latest.c.event_id == ReviewEvent.id)
                           .outerjoin(User, User.id == ReviewEvent.actor_id)).all()
    return {asset_id: (username, at) for asset_id, username, at in rows}
