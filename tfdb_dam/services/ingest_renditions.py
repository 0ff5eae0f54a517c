"""Rendition files and rows: writing what processing made, and re-creating a missing file on demand."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tfdb_dam.db.models import Asset, Rendition
from tfdb_dam.errors import NotFound, RejectedFile, StorageError
from tfdb_dam.media import make_photo_renditions
from tfdb_dam.media.imaging import open_image
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest_analysis import RenditionImage, analyse


@dataclass(frozen=True)
class RenditionFile:
    """A rendition written to the store, with what its row records."""

    name: str
    width: int
    height: int
    size_bytes: int
    at_seconds: float | None


def write_renditions(ctx: Context, sha256: str, images: list[RenditionImage]) -> list[RenditionFile]:
    """Write each image to its content address (atomic, fsynced) before any row names it."""
    written = []
    for image in images:
        ctx.store.write_rendition(sha256, image.name, image.data)
        width, height = image_size(image.data)
        written.append(RenditionFile(image.name, width, height, len(image.data), image.at_seconds))
    return written


def image_size(data: bytes) -> tuple[int, int]:
    return open_image(io.BytesIO(data), max_pixels=None).size


def ensure_rendition(ctx: Context, asset_id: int, name: str) -> Path:
    """The path of a rendition, re-made from the original first if its file has gone missing.

    NotFound when the asset has no such rendition; StorageError when the original is missing too.
    """
    with ctx.db.begin() as session:
        row = session.execute(
            select(Asset.sha256, Asset.ext, Asset.kind).join(Rendition)
            .where(Asset.id == asset_id, Rendition.name == name)).first()
    if row is None:
        raise NotFound("storage.no_rendition_named", asset_id=asset_id, name=repr(name))
    sha256, ext, kind = row
    path = ctx.store.rendition_path(sha256, name)
    if path.is_file():
        return path
    original = ctx.store.original_path(sha256, ext)
    if not original.is_file():
        raise StorageError("storage.original_missing_restore", asset_id=asset_id)
    for image in _recreate(ctx, original, kind.value, ext, name):
        if image.name == name or not ctx.store.rendition_path(sha256, image.name).is_file():
            ctx.store.write_rendition(sha256, image.name, image.data)
    if not path.is_file():
        raise StorageError("storage.rendition_not_remakeable", name=name, asset_id=asset_id)
    return path


def _recreate(ctx: Context, original: Path, kind: str, ext: str, name: str) -> list[RenditionImage]:
    try:
        if kind == "photo":  # only the one size asked for: one cheap draft-mode decode
            data = make_photo_renditions(original, [name], max_pixels=ctx.config.tfdb_max_image_pixels)
            return [RenditionImage(n, d) for n, d in data.items()]
        return analyse(ctx.config, original, kind, ext).renditions
    except RejectedFile as exc:
        raise StorageError("storage.original_undecodable", name=name, reason=exc) from exc
