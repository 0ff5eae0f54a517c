"""Putting asset records into a test database the way the product stores them (ORM rows, tags,
categories), then indexing them with the real indexing service."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetKind, AssetStatus, Category, ProcessingState, Tag
from tfdb_dam.search.text import fold
from tfdb_dam.services.indexing import index_assets
from tfdb_dam.services.search import analyze

VIETNAM = dt.timezone(dt.timedelta(hours=7))
_EXT = {"photo": "jpg", "video": "mp4", "document": "pdf", "audio": "mp3"}


def _tags(session: Session, names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        tag = session.execute(select(Tag).where(Tag.name_folded == fold(name))).scalar_one_or_none()
        if tag is None:
            tag = Tag(name=name, name_folded=fold(name))
            session.add(tag)
            session.flush()
        tags.append(tag)
    return tags


def make_asset(session: Session, key: str, **fields: Any) -> Asset:
    """An asset row named ``key`` (its file name and hash seed); ``tags`` as a list, ``category``
    as a slug, ``captured`` as an ISO date; everything else as Asset columns."""
    kind = fields.pop("kind", "photo")
    tags = fields.pop("tags", [])
    slug = fields.pop("category", None)
    captured = fields.pop("captured", None)
    asset = Asset(
        kind=AssetKind(kind),
        status=fields.pop("status", AssetStatus.published),
        processing=ProcessingState.ready,
        sha256=hashlib.sha256(key.encode()).hexdigest(),
        size_bytes=1000,
        mime_type=f"{'image/jpeg' if kind == 'photo' else 'application/octet-stream'}",
        ext=_EXT[kind],
        original_filename=fields.pop("original_filename", f"{key}.{_EXT[kind]}"),
        **fields,
    )
    if slug:
        asset.category = session.execute(select(Category).where(Category.slug == slug)).scalar_one()
    if captured:
        day = dt.date.fromisoformat(captured)
        asset.captured_at = dt.datetime.combine(day, dt.time(12), VIETNAM)
    asset.tags = _tags(session, tags)
    session.add(asset)
    session.flush()
    return asset


def corpus_fields(row: Mapping[str, str]) -> dict[str, Any]:
    """An import-CSV row of search-dev as ``make_asset`` fields."""
    fields: dict[str, Any] = {
        name: (row.get(name) or None)
        for name in ("title_vi", "title_en", "description_vi", "description_en", "source_unit", "credit")
    }
    fields.update(
        kind=row.get("kind") or "photo",
        tags=(row.get("tags") or "").split(";"),
        category=row.get("category") or None,
        captured=row.get("captured_at") or None,
        original_filename=row.get("filename") or None,
    )
    return fields


def load_records(ctx, rows: Iterable[Mapping[str, str]], *, key_field: str = "key") -> dict[str, int]:  # noqa: ANN001
    """Insert and index the rows (vectors included), analyze; returns key -> asset id."""
    ids: dict[str, int] = {}
    with ctx.db.begin() as session:
        for row in rows:
            ids[row[key_field]] = make_asset(session, row[key_field], **corpus_fields(row)).id
        index_assets(session, ctx, list(ids.values()), embed_now=True)
    with ctx.db.begin() as session:
        analyze(session)
    return ids


def add_assets(ctx, records: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:  # noqa: ANN001
    """Insert and index hand-written records (``make_asset`` fields), analyze; key -> id."""
    with ctx.db.begin() as session:
        ids = {key: make_asset(session, key, **dict(fields)).id for key, fields in records.items()}
        index_assets(session, ctx, list(ids.values()), embed_now=True)
    with ctx.db.begin() as session:
        analyze(session)
    return ids
