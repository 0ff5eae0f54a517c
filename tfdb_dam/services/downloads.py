"""Press-ready downloads: pick the file an actor may have, write credit and licence into it, log it.

The app, the CLI and the HTTP API all download through ``download_asset``; the stored file is
never changed (metadata is written into a copy in memory).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetKind, Download
from tfdb_dam.errors import NotFound, PermissionDenied, StorageError, ValidationError
from tfdb_dam.media.embed import EmbeddedRights, embed_jpeg_metadata
from tfdb_dam.search.text import fold
from tfdb_dam.services import audit
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.apikeys import KeyActor
from tfdb_dam.services.assets import get_asset
from tfdb_dam.services.context import Context
from tfdb_dam.services.licences import licence_for
from tfdb_dam.services.permissions import Capability, require

PURPOSES: dict[str, tuple[str, str]] = {
    "press": ("Báo in, báo điện tử", "Press"),
    "print": ("Ấn phẩm in", "Print"),
    "web": ("Trang web, mạng xã hội", "Web"),
    "tv": ("Truyền hình", "TV"),
    "other": ("Khác", "Other"),
}
ORIGINAL = "original"
# Renditions shown in lists and grids: small, so serving them is display, not a logged download.
DISPLAY_RENDITIONS = ("thumb",)
_KIND_WORDS = {
    AssetKind.photo: ("Ảnh", "Photo"),
    AssetKind.video: ("Video", "Video"),
    AssetKind.document: ("Tài liệu", "Document"),
    AssetKind.audio: ("Âm thanh", "Audio"),
}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DownloadFile:
    """What to send: bytes with metadata written in, or (for non-JPEG originals) the stored file as is."""

    filename: str
    mime: str
    rendition: str
    data: bytes | None = None
    path: Path | None = None
    credit_line: str | None = None  # to print beside the asset, e.g. "Ảnh: Lê Hoa / Photo: Lê Hoa"

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size  # type: ignore[union-attr]

    def content(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()  # type: ignore[union-attr]

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        with self.path.open("rb") as fh:  # type: ignore[union-attr]
            while chunk := fh.read(CHUNK):
                yield chunk


def credit_line(asset: Asset) -> str | None:
    """The line to print beside the asset, e.g. "Ảnh: Lê Hoa / Photo: Lê Hoa" (None without a credit)."""
    who = (asset.credit or asset.source_unit or "").strip()
    if not who:
        return None
    vi, en = _KIND_WORDS.get(asset.kind, ("Nguồn", "Source"))
    return f"{vi}: {who} / {en}: {who}"


def parse_purpose(purpose: str | None) -> str:
    chosen = (purpose or "").strip().lower()
    if chosen not in PURPOSES:
        raise ValidationError("download.purpose_missing", purposes=", ".join(PURPOSES))
    return chosen


def may_download_original(actor: Actor) -> bool:
    """Partner keys need the download:original scope; the anonymous public never gets originals."""
    if isinstance(actor, KeyActor):
        return actor.allows("download:original")
    return actor.role is not None or actor.is_system


def available_renditions(actor: Actor, asset: Asset) -> list[str]:
    names = sorted(r.name for r in asset.renditions)
    return names + ([ORIGINAL] if may_download_original(actor) else [])


def default_rendition(asset: Asset) -> str:
    names = {r.name for r in asset.renditions}
    for name in ("preview", "poster"):
        if name in names:
            return name
    raise NotFound("download.no_preview_yet", asset_id=asset.id)


def download_asset(
    ctx: Context, actor: Actor, asset_id: int, *, purpose: str, rendition: str | None = None
) -> DownloadFile:
    """The file to hand over, with credit, licence and caption embedded when it is a JPEG.

    Logged as a Download row and an ``asset.download`` audit entry in the same transaction.
    NotFound when the actor may not see the asset; PermissionDenied for an original they may not have.
    """
    purpose = parse_purpose(purpose)
    require(actor, Capability.download)
    with ctx.db.begin() as session:
        asset = get_asset(session, actor, asset_id)
        result = prepare_file(ctx, session, actor, asset, rendition or default_rendition(asset))
        session.add(
            Download(
                asset_id=asset.id,
                user_id=actor.user_id,
                rendition=result.rendition,
                api_key_id=getattr(actor, "api_key_id", None),
                purpose=purpose,
            )
        )
        audit.record(
            session,
            actor,
            "asset.download",
            object_type="asset",
            object_id=asset.id,
            details={"rendition": result.rendition, "purpose": purpose, "filename": result.filename},
        )
    return result


def display_rendition(ctx: Context, actor: Actor, asset_id: int, name: str) -> DownloadFile:
    """A small rendition for showing in lists (thumbnails); not logged as a download."""
    if name not in DISPLAY_RENDITIONS and not name.startswith("keyframe"):
        raise NotFound("download.rendition_not_displayed", name=repr(name))
    with ctx.db.begin() as session:
        asset = get_asset(session, actor, asset_id)
        return prepare_file(ctx, session, actor, asset, name)


def prepare_file(ctx: Context, session: Session, actor: Actor, asset: Asset, rendition: str) -> DownloadFile:
    if rendition == ORIGINAL:
        if not may_download_original(actor):
            raise PermissionDenied("download.original_not_allowed")
        path, mime, ext = ctx.store.original_path(asset.sha256, asset.ext), asset.mime_type, asset.ext
    else:
        path, mime, ext = _rendition_path(ctx, session, asset, rendition), "image/jpeg", "jpg"
    if not path.is_file():
        raise StorageError("storage.file_missing", asset_id=asset.id, rendition=rendition)
    filename, credit = download_filename(asset, rendition, ext), credit_line(asset)
    if mime != "image/jpeg":
        return DownloadFile(filename, mime, rendition, path=path, credit_line=credit)
    data = embed_jpeg_metadata(path.read_bytes(), embedded_rights(asset))
    return DownloadFile(filename, mime, rendition, data=data, credit_line=credit)


def _rendition_path(ctx: Context, session: Session, asset: Asset, name: str) -> Path:
    if not any(r.name == name for r in asset.renditions):
        raise NotFound("download.no_rendition", asset_id=asset.id, name=repr(name))
    path = ctx.store.rendition_path(asset.sha256, name)
    if not path.is_file():
        # Lost from disk (restored backup, manual cleanup): the ingest service makes it again.
        from tfdb_dam.services.ingest_renditions import ensure_rendition

        ensure_rendition(ctx, asset.id, name)
    return path


def embedded_rights(asset: Asset) -> EmbeddedRights:
    licence = licence_for(asset.license)
    holder = (asset.credit or asset.source_unit or "").strip()
    notice = " — ".join(
        p
        for p in (
            f"© {holder}" if holder else "",
            f"{licence.label_vi} / {licence.label_en}" if licence else "",
        )
        if p
    )
    terms = asset.usage_terms or (f"{licence.label_en}: {licence.url}" if licence and licence.url else None)
    return EmbeddedRights(
        creator=asset.credit,
        credit_line=credit_line(asset),
        copyright=notice or None,
        source=asset.source_unit,
        licence_url=licence.url if licence else None,
        usage_terms=terms,
        title={"vi": asset.title_vi or "", "en": asset.title_en or ""},
        caption={
            "vi": asset.description_vi or asset.title_vi or "",
            "en": asset.description_en or asset.title_en or "",
        },
        keywords=tuple(tag.name for tag in asset.tags),
    )


def download_filename(asset: Asset, rendition: str, ext: str) -> str:
    """An ASCII name that says what the file is: tfdb-12-dai-noi-hue-preview.jpg."""
    stem = Path(asset.original_filename or "").stem
    words = (
        re.sub(r"[^a-z0-9]+", "-", fold(asset.title_en or asset.title_vi or stem)).strip("-")[:60].strip("-")
    )
    suffix = "" if rendition == ORIGINAL else f"-{rendition}"
    return f"tfdb-{asset.id}{'-' + words if words else ''}{suffix}.{ext}"
