"""Assets made straight in the database for sharing tests (status set directly, real files in the store)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets

from PIL import Image
from sqlalchemy import select

from tfdb_dam.db.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Category,
    ProcessingState,
    Rendition,
    Role,
    Tag,
    User,
)
from tfdb_dam.search.text import fold
from tfdb_dam.services import users
from tfdb_dam.services.actors import SYSTEM, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing import index_assets

NOW = dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.timezone.utc)


def jpeg_bytes(size: tuple[int, int] = (96, 64), seed: int | None = None) -> bytes:
    """A small JPEG with random pixels, so every asset has its own SHA-256."""
    noise = (
        secrets.token_bytes(size[0] * size[1] * 3)
        if seed is None
        else bytes((seed * 7 + i) % 256 for i in range(size[0] * size[1] * 3))
    )
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_user(ctx: Context, username: str, role: Role) -> Actor:
    with ctx.db.begin() as session:
        user = users.create_user(
            session, SYSTEM, username=username, role=role, password="a long enough secret"
        )
        return Actor(user.id, user.username, user.role)


def _tags(session, names: list[str]) -> list[Tag]:  # noqa: ANN001
    found = []
    for name in names:
        tag = session.execute(select(Tag).where(Tag.name_folded == fold(name))).scalar_one_or_none()
        if tag is None:
            tag = Tag(name=name, name_folded=fold(name))
            session.add(tag)
            session.flush()
        found.append(tag)
    return found


def make_asset(
    ctx: Context,
    *,
    status: AssetStatus = AssetStatus.published,
    kind: AssetKind = AssetKind.photo,
    with_files: bool = True,
    renditions: tuple[str, ...] = ("thumb", "preview"),
    original: bytes | None = None,
    ext: str = "jpg",
    mime: str = "image/jpeg",
    title_vi: str = "Đại Nội Huế lúc bình minh",
    title_en: str = "Hue Imperial City at dawn",
    description_vi: str | None = "Ngọ Môn trong sương sớm, nhìn từ Kỳ Đài.",
    description_en: str | None = "Ngo Mon gate in the morning mist, seen from the Flag Tower.",
    credit: str | None = "Nguyễn Thị Hường",
    source_unit: str | None = "Sở Văn hóa và Thể thao",
    license: str | None = "CC-BY-4.0",
    category: str | None = "van-hoa-di-san",
    tags: tuple[str, ...] = ("Đại Nội", "di sản"),
    rights_expires_on: dt.date | None = None,
    ever_published: bool | None = None,
    changed_at: dt.datetime | None = None,
    created_by: Actor | None = None,
    captured_at: dt.datetime | None = NOW,
) -> int:
    data = original if original is not None else (jpeg_bytes() if with_files else secrets.token_bytes(32))
    sha = hashlib.sha256(data).hexdigest()
    if with_files:
        staged = ctx.store.stage(io.BytesIO(data), max_bytes=ctx.config.max_upload_bytes)
        ctx.store.commit_original(staged, ext)
    published = (
        status in (AssetStatus.published, AssetStatus.archived) if ever_published is None else ever_published
    )
    with ctx.db.begin() as session:
        cat = (
            session.execute(select(Category).where(Category.slug == category)).scalar_one()
            if category
            else None
        )
        asset = Asset(
            kind=kind,
            status=status,
            processing=ProcessingState.ready,
            sha256=sha,
            size_bytes=len(data),
            mime_type=mime,
            ext=ext,
            original_filename=f"IMG_{sha[:6]}.{ext}",
            width=96,
            height=64,
            title_vi=title_vi,
            title_en=title_en,
            description_vi=description_vi,
            description_en=description_en,
            credit=credit,
            source_unit=source_unit,
            license=license,
            category=cat,
            rights_expires_on=rights_expires_on,
            ever_published=published,
            published_at=(changed_at or NOW) if published else None,
            public_changed_at=(changed_at or NOW) if published else None,
            captured_at=captured_at,
            created_by_id=created_by.user_id if created_by else None,
        )
        asset.tags = _tags(session, list(tags))
        session.add(asset)
        session.flush()
        for name in renditions if with_files else ():
            image = jpeg_bytes((48, 32))
            ctx.store.write_rendition(sha, name, image)
            session.add(Rendition(asset_id=asset.id, name=name, width=48, height=32, size_bytes=len(image)))
        # Findable like an ingested asset: the full-text document now, the vector in a queued job.
        index_assets(session, ctx, [asset.id])
        return asset.id


def set_fields(ctx: Context, asset_id: int, **values: object) -> None:
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        for name, value in values.items():
            setattr(asset, name, value)


def user_row(ctx: Context, username: str) -> User:
    with ctx.db.begin() as session:
        return session.execute(select(User).where(User.username == username)).scalar_one()
