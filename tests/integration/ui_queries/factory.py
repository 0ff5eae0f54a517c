"""Test data for the app's queries: users of each role and ready photo assets with renditions in
the store, as ingest leaves them (indexed for full-text search)."""

from __future__ import annotations

import hashlib
import io
import itertools
from typing import Any

from PIL import Image

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, ProcessingState, Rendition, Role, User
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing import refresh_documents

ROLES = ("admin", "approver", "contributor", "viewer")
_serial = itertools.count(1)


def jpeg_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_users(ctx: Context, password_hash: str) -> dict[str, Actor]:
    """One active user per role (user name = role name)."""
    made = {}
    with ctx.db.begin() as session:
        for role in ROLES:
            user = User(username=role, role=Role(role), password_hash=password_hash, display_name=role.title(),
                        source_unit="Sở Ngoại vụ")
            session.add(user)
            session.flush()
            made[role] = Actor(user.id, user.username, user.role)
    return made


def insert_asset(ctx: Context, owner: Actor, title_vi: str, title_en: str, *, status: str = "draft",
                 credit: str | None = "Lê Hoa", gps: tuple[float, float] | None = None, **fields: Any) -> int:
    n = next(_serial)
    # Bytes after the JPEG's end marker keep each file (and so its content address) unique.
    data = jpeg_bytes(((n * 40) % 255, 90, 160)) + f"{n} {title_vi}".encode()
    sha = hashlib.sha256(data).hexdigest()
    with ctx.db.begin() as session:
        asset = Asset(kind=AssetKind.photo, status=AssetStatus(status), processing=ProcessingState.ready,
                      sha256=sha, size_bytes=len(data), mime_type="image/jpeg", ext="jpg",
                      original_filename=f"photo-{n}.jpg", width=640, height=480, title_vi=title_vi,
                      title_en=title_en, credit=credit, license="CC-BY-4.0", created_by_id=owner.user_id,
                      submitted_by_id=owner.user_id if status != "draft" else None,
                      gps_lat=gps[0] if gps else None, gps_lon=gps[1] if gps else None,
                      exif={"Make": "Canon", "Model": "EOS 5D"}, **fields)
        session.add(asset)
        session.flush()
        original = ctx.store.original_path(sha, "jpg")
        original.parent.mkdir(parents=True, exist_ok=True)
        original.write_bytes(data)
        for name, box in (("thumb", (320, 240)), ("preview", (640, 480))):
            ctx.store.write_rendition(sha, name, jpeg_bytes(((n * 40) % 255, 90, 160), box))
            session.add(Rendition(asset_id=asset.id, name=name, width=box[0], height=box[1], size_bytes=1000))
        refresh_documents(session, [asset.id])
        return asset.id
