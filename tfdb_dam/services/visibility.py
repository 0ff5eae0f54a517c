"""Who may see which assets — the one rule every channel (app, CLI, API, OAI-PMH) applies."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, or_, true

from tfdb_dam.db.models import Asset, AssetStatus, Role
from tfdb_dam.services.actors import Actor

PUBLIC_STATUSES = (AssetStatus.published,)
VIEWER_STATUSES = (AssetStatus.approved, AssetStatus.published)
# Rights expire by the calendar of the office that grants them, whatever the clocks of the
# database server and the app server say: both SQL and Python ask this one function.
OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def office_today() -> dt.date:
    return dt.datetime.now(OFFICE_TZ).date()


def rights_current(today: dt.date | None = None) -> ColumnElement[bool]:
    """Rights not yet expired (expiry is the last day of use, inclusive)."""
    day = bindparam("office_today", today or office_today(), unique=True)
    return or_(Asset.rights_expires_on.is_(None), Asset.rights_expires_on >= day)


def publicly_visible() -> ColumnElement[bool]:
    return and_(Asset.status.in_(PUBLIC_STATUSES), rights_current())


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the assets ``actor`` may see."""
    if actor.is_system or actor.role in (Role.admin, Role.approver):
        return true()
    if actor.role is Role.contributor:
        return or_(Asset.created_by_id == actor.user_id, Asset.status.in_(VIEWER_STATUSES))
    if actor.role is Role.viewer:
        return and_(Asset.status.in_(VIEWER_STATUSES), rights_current())
    return publicly_visible()


def can_see(actor: Actor, asset: Asset, today: dt.date | None = None) -> bool:
    """The same rule as ``visible_to`` for an asset already loaded."""
    today = today or office_today()
    current = asset.rights_expires_on is None or asset.rights_expires_on >= today
    if actor.is_system or actor.role in (Role.admin, Role.approver):
        return True
    if actor.role is Role.contributor:
        return asset.created_by_id == actor.user_id or asset.status in VIEWER_STATUSES
    if actor.role is Role.viewer:
        return asset.status in VIEWER_STATUSES and current
    return asset.status in PUBLIC_STATUSES and current
