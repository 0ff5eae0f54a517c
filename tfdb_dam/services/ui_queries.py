"""Read-only views the app's pages need that no other service gives: what is new, dashboard
figures, the processing state of just-uploaded assets, and thumbnail files for grids.

Every query applies ``visibility.visible_to`` so a page never shows what its actor may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetStatus, AssetTag, Category, Notification, Rendition, Role, Tag, User
from tfdb_dam.errors import PermissionDenied
from tfdb_dam.services import assets, downloads, notify, permissions, review, rights, taxonomy
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.licences import Licence, licence_for
from tfdb_dam.services.visibility import publicly_visible, visible_to

THUMB = "thumb"


@dataclass(frozen=True)
class Card:
    """What a thumbnail card shows; the same attribute names as a search hit."""

    asset_id: int
    title_vi: str | None
    title_en: str | None
    kind: str
    status: str
    sha256: str
    has_thumb: bool
    captured_at: dt.datetime | None = None
    credit: str | None = None


def _has_thumb() -> Any:
    return exists().where(Rendition.asset_id == Asset.id, Rendition.name == THUMB)


def cards(session: Session, actor: Actor, where: Any, order: Any, limit: int) -> list[Card]:
    rows = session.execute(
        select(Asset.id, Asset.title_vi, Asset.title_en, Asset.kind, Asset.status, Asset.sha256,
               _has_thumb(), Asset.captured_at, Asset.credit)
        .where(visible_to(actor), where).order_by(order).limit(limit)).all()
    return [Card(r[0], r[1], r[2], r[3].value, r[4].value, r[5], bool(r[6]), r[7], r[8]) for r in rows]


@dataclass
class WhatsNew:
    notifications: list[Notification] = field(default_factory=list)
    unread: int = 0
    mine_by_status: dict[str, int] = field(default_factory=dict)
    waiting_review: int | None = None
    recent_published: list[Card] = field(default_factory=list)


def whats_new(session: Session, ctx: Context, actor: Actor) -> WhatsNew:
    """The home page of a signed-in user: their notifications, their work, what awaits them."""
    news = WhatsNew(notifications=notify.list_notifications(session, actor, limit=8),
                    unread=notify.unread_count(session, actor))
    news.mine_by_status = _counts(session, Asset.status, Asset.created_by_id == actor.user_id)
    if actor.role in (Role.admin, Role.approver):
        news.waiting_review = session.execute(select(func.count()).select_from(Asset).where(
            Asset.status == AssetStatus.submitted)).scalar_one()
    news.recent_published = cards(session, actor, Asset.status == AssetStatus.published,
                                  Asset.published_at.desc().nulls_last(), 8)
    return news


def _counts(session: Session, column: Any, where: Any = True) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(where).group_by(column)).all()
    return {(key.value if hasattr(key, "value") else key): count for key, count in rows}


@dataclass
class Dashboard:
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]
    by_category: list[tuple[str, str, int]]      # (label_vi, label_en, count)
    by_source_unit: list[tuple[str, int]]
    uploads_by_month: list[tuple[dt.date, int]]
    publications_by_month: list[tuple[dt.date, int]]
    geotagged: list[tuple[int, float, float, str | None, str | None]]  # id, lat, lon, title_vi, title_en


def dashboard(session: Session, actor: Actor, *, months: int = 24, max_points: int = 5000) -> Dashboard:
    """Counts and series over what the actor may see; the map holds published, geotagged assets."""
    if actor.role not in (Role.admin, Role.approver, Role.contributor) and not actor.is_system:
        raise PermissionDenied("permission.dashboard")
    seen = visible_to(actor)
    return Dashboard(
        total=session.execute(select(func.count()).select_from(Asset).where(seen)).scalar_one(),
        by_status=_counts(session, Asset.status, seen),
        by_kind=_counts(session, Asset.kind, seen),
        by_category=_by_category(session, seen),
        by_source_unit=[(unit or "", n) for unit, n in session.execute(
            select(Asset.source_unit, func.count()).where(seen, Asset.source_unit.is_not(None))
            .group_by(Asset.source_unit).order_by(func.count().desc()).limit(25))],
        uploads_by_month=_by_month(session, Asset.created_at, seen, months),
        publications_by_month=_by_month(session, Asset.published_at, and_(seen, Asset.published_at.is_not(None)),
                                        months),
        geotagged=[tuple(r) for r in session.execute(
            select(Asset.id, Asset.gps_lat, Asset.gps_lon, Asset.title_vi, Asset.title_en)
            .where(publicly_visible(), Asset.gps_lat.is_not(None), Asset.gps_lon.is_not(None))
            .order_by(Asset.id.desc()).limit(max_points))],
    )


def _by_category(session: Session, seen: Any) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(Category.label_vi, Category.label_en, func.count(Asset.id))
        .join(Asset, and_(Asset.category_id == Category.id, seen))
        .group_by(Category.id).order_by(func.count(Asset.id).desc())).all()
    return [(vi, en, n) for vi, en, n in rows]


def _by_month(session: Session, column: Any, where: Any, months: int) -> list[tuple[dt.date, int]]:
    month = func.date_trunc("month", func.timezone("Asia/Ho_Chi_Minh", column))
    since = func.now() - dt.timedelta(days=31 * months)
    rows = session.execute(select(month, func.count()).where(where, column >= since)
                           .group_by(month).order_by(month)).all()
    return [(m.date(), n) for m, n in rows]


@dataclass(frozen=True)
class Progress:
    asset_id: int
    filename: str
    processing: str
    error: str | None
    status: str
    title_vi: str | None
    title_en: str | None
    has_thumb: bool
    sha256: str


def processing_progress(session: Session, actor: Actor, asset_ids: list[int]) -> list[Progress]:
    """Where background processing stands for these assets (the upload page polls this)."""
    if not asset_ids:
        return []
    rows = session.execute(
        select(Asset.id, Asset.original_filename, Asset.processing, Asset.processing_error, Asset.status,
               Asset.title_vi, Asset.title_en, _has_thumb(), Asset.sha256)
        .where(Asset.id.in_(asset_ids), visible_to(actor)).order_by(Asset.id)).all()
    return [Progress(r[0], r[1], r[2].value, r[3], r[4].value, r[5], r[6], bool(r[7]), r[8]) for r in rows]


def thumbnail_file(ctx: Context, sha256: str) -> Path | None:
    """The stored thumb of an asset for a grid, or None while it is not made yet."""
    path = ctx.store.rendition_path(sha256, THUMB)
    return path if path.is_file() else None


@dataclass(frozen=True)
class FormChoices:
    """What metadata forms offer: categories, licences, tags in use, source units in use."""

    categories: list[tuple[str, str, str]]   # (slug, label_vi, label_en)
    licences: list[Licence]
    tags: list[str]
    source_units: list[str]


def form_choices(session: Session, *, max_tags: int = 400) -> FormChoices:
    tags = session.execute(select(Tag.name).join(AssetTag, AssetTag.tag_id == Tag.id).group_by(Tag.id)
                           .order_by(func.count().desc(), Tag.name).limit(max_tags)).scalars().all()
    units = session.execute(
        select(Asset.source_unit).where(Asset.source_unit.is_not(None))
        .union(select(User.source_unit).where(User.source_unit.is_not(None)))).scalars().all()
    return FormChoices(
        categories=[(c.slug, c.label_vi, c.label_en) for c in taxonomy.list_categories(session)],
        licences=rights.list_licences(), tags=sorted(tags, key=str.casefold),
        source_units=sorted({u.strip() for u in units if u and u.strip()}, key=str.casefold))


@dataclass
class AssetView:
    """Everything the asset page shows, gathered in one transaction for the actor."""

    record: dict[str, Any]
    category_labels: tuple[str, str] | None
    preview: Path | None                     # the large image: preview, or a video's poster
    keyframes: list[tuple[Path, float | None]]
    original: Path | None                    # for playing video/audio in the page (staff only)
    actions: list[str]
    can_edit: bool
    rejection_reason: str | None
    duplicates: list[Card]
    downloads: dict[str, tuple[str, str]]    # rendition -> (file name, MIME type)
    credit_line: str | None
    licence: Licence | None


def asset_view(session: Session, ctx: Context, actor: Actor, asset_id: int) -> AssetView:
    """NotFound unless the actor may see the asset; staff details (history, duplicates) only for staff."""
    asset = assets.get_asset(session, actor, asset_id)
    record = assets.asset_record(session, asset)
    if not actor.is_staff:
        record["history"] = []
    names = {r.name: r for r in asset.renditions}
    keyframes = sorted((r for r in asset.renditions if r.name.startswith("keyframe")), key=lambda r: r.name)
    return AssetView(
        record=record,
        category_labels=(asset.category.label_vi, asset.category.label_en) if asset.category else None,
        preview=_existing(ctx, asset.sha256, next((n for n in ("preview", "poster") if n in names), None)),
        keyframes=[(p, r.at_seconds) for r in keyframes if (p := _existing(ctx, asset.sha256, r.name))],
        original=_playable_original(ctx, actor, asset),
        actions=review.available_actions(actor, asset) if actor.user_id is not None else [],
        can_edit=actor.user_id is not None and permissions.can_edit(actor, asset),
        rejection_reason=review.rejection_reason(session, asset),
        duplicates=_duplicates(session, actor, asset) if actor.is_staff else [],
        downloads={name: (downloads.download_filename(asset, name, "jpg" if name != downloads.ORIGINAL else asset.ext),
                          "image/jpeg" if name != downloads.ORIGINAL else asset.mime_type)
                   for name in downloads.available_renditions(actor, asset) if name not in ("thumb",)
                   and not name.startswith("keyframe")},
        credit_line=downloads.credit_line(asset),
        licence=licence_for(asset.license),
    )


def _existing(ctx: Context, sha256: str, name: str | None) -> Path | None:
    if name is None:
        return None
    path = ctx.store.rendition_path(sha256, name)
    return path if path.is_file() else None


# Played in the page as is; larger originals are offered for download instead.
PLAYABLE_MAX_BYTES = 200 * 1024 * 1024


def _playable_original(ctx: Context, actor: Actor, asset: Asset) -> Path | None:
    # Playing a video hands the viewer its original; only those who may download originals get it.
    if not downloads.may_download_original(actor) or asset.kind.value not in ("video", "audio") or asset.size_bytes > PLAYABLE_MAX_BYTES:
        return None
    path = ctx.store.original_path(asset.sha256, asset.ext)
    return path if path.is_file() else None


def _duplicates(session: Session, actor: Actor, asset: Asset) -> list[Card]:
    """Assets flagged as near duplicates of this one, and the one it was flagged against."""
    related = Asset.near_duplicate_of_id == asset.id
    if asset.near_duplicate_of_id is not None:
        related = related | (Asset.id == asset.near_duplicate_of_id)
    return cards(session, actor, related & (Asset.id != asset.id), Asset.id, 24)
