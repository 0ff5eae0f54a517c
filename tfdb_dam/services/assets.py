"""Reading assets: one asset's full record for the actor allowed to see it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, ReviewEvent, User
from tfdb_dam.errors import NotFound
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.visibility import can_see

_FIELDS = (
    "id", "sha256", "kind", "status", "processing", "processing_error", "mime_type", "ext",
    "original_filename", "size_bytes", "width", "height", "duration_s", "frame_rate",
    "video_codec", "audio_codec", "page_count", "captured_at", "captured_tz_offset_min",
    "gps_lat", "gps_lon", "gps_alt", "camera_make", "camera_model", "lens", "exposure",
    "orientation", "title_vi", "title_en", "description_vi", "description_en", "source_unit",
    "credit", "license", "usage_terms", "rights_expires_on", "field_sources", "notes",
    "near_duplicate_of_id", "created_at", "updated_at", "published_at", "version",
)


def get_asset(session: Session, actor: Actor, asset_id: int) -> Asset:
    """The asset if it exists and the actor may see it; otherwise NotFound (never 'forbidden',
    so that unpublished assets do not reveal that they exist)."""
    asset = session.get(Asset, asset_id)
    if asset is None or not can_see(actor, asset):
        raise NotFound("asset.not_visible", asset_id=asset_id)
    return asset


def history_of(session: Session, asset_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ReviewEvent, User.username).outerjoin(User, User.id == ReviewEvent.actor_id)
        .where(ReviewEvent.asset_id == asset_id).order_by(ReviewEvent.at, ReviewEvent.id)
    ).all()
    return [{"actor": username or "system", "action": event.action, "at": event.at,
             "from_status": event.from_status, "to_status": event.to_status, "comment": event.comment}
            for event, username in rows]


def asset_record(session: Session, asset: Asset) -> dict[str, Any]:
    """Everything known about an asset, as plain data (for `tfdb show`, the API, exports)."""
    record = {name: getattr(asset, name) for name in _FIELDS}
    record["kind"] = asset.kind.value
    record["status"] = asset.status.value
    record["processing"] = asset.processing.value
    record["category"] = asset.category.slug if asset.category else None
    record["tags"] = [tag.name for tag in asset.tags]
    record["renditions"] = sorted(r.name for r in asset.renditions)
    record["exif"] = asset.exif
    record["has_text"] = bool(asset.extracted_text)
    record["history"] = history_of(session, asset.id)
    return record
