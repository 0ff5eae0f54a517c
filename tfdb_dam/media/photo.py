"""Owns reading a photo's metadata (size, capture, camera, place, credits) from EXIF, XMP and IPTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image

from tfdb_dam.media import exif
from tfdb_dam.media.exif_fields import camera_fields, captured_at, exposure, gps_point, orientation
from tfdb_dam.media.imaging import open_image
from tfdb_dam.media.iptc import IimFields, read_iim, tiff_iim_block
from tfdb_dam.media.text import clean_text
from tfdb_dam.media.xmp import XmpFields, read_xmp

_IPTC_RESOURCE = 0x0404  # Photoshop image resource holding IPTC IIM
_DESCRIPTIVE_FIELDS = ("title", "caption", "creator", "copyright", "keywords")
# Captions cameras fill in by themselves: not a description of the photo.
_CAMERA_CAPTIONS = {
    "OLYMPUS DIGITAL CAMERA",
    "SONY DSC",
    "DIGITAL CAMERA",
    "DCF 1.0",
    "KODAK CSC",
    "DEFAULT",
    "IMG",
}


@dataclass
class PhotoMetadata:
    """What a photo says about itself. ``width``/``height`` are as displayed (orientation applied).

    Text fields prefer XMP, then IPTC IIM, then EXIF, as modern tools write XMP and mirror it
    into the older blocks. ``sources`` names the block each filled field came from.
    """

    width: int
    height: int
    captured_at: datetime | None = None  # aware when the camera recorded its UTC offset
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure: dict[str, Any] = field(default_factory=dict)  # exposure_time, f_number, iso, focal_length_mm
    orientation: int = 1  # EXIF orientation as found in the file, 1-8
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None  # metres; negative below sea level
    caption: str | None = None
    title: str | None = None
    keywords: list[str] = field(default_factory=list)
    creator: str | None = None
    copyright: str | None = None
    exif: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def read_photo_metadata(path: Path) -> PhotoMetadata:
    """Read every block of metadata; a damaged block adds a warning, it never fails the photo."""
    with path.open("rb") as fh:
        img = open_image(fh, max_pixels=None)  # header only: nothing is decoded here
        tags, exif_damaged = _exif_tags(img, fh)
        xmp = read_xmp(img.info["xmp"]) if img.info.get("xmp") else XmpFields()
        iim = _iim(img, fh)
        stored_orientation = _stored_orientation(img, tags)
        width, height = _displayed_size(img, stored_orientation)
    shown = exif.display_tags(tags)
    if "Image Orientation" in shown:  # pillow-heif rewrote the tag to 1; show what the file says
        shown["Image Orientation"] = exif.orientation_name(stored_orientation)
    meta = PhotoMetadata(width=width, height=height, orientation=stored_orientation, exif=shown)
    meta.warnings = ([exif.MALFORMED_WARNING] if exif_damaged else []) + xmp.warnings + iim.warnings
    _fill_from_exif(meta, tags, xmp)
    _fill_descriptions(meta, tags, xmp, iim)
    return meta


def _exif_tags(img: Image.Image, fh: BinaryIO) -> tuple[dict[str, Any], bool]:
    block = img.info.get("exif")
    if isinstance(block, bytes) and block:
        return exif.exif_tags_from_bytes(block)
    if img.format in ("TIFF", "PNG"):
        return exif.exif_tags_from_file(fh)  # the TIFF is its own EXIF; PNG may keep eXIf after the pixels
    return {}, False


def _iim(img: Image.Image, fh: BinaryIO) -> IimFields:
    block = (img.info.get("photoshop") or {}).get(_IPTC_RESOURCE)
    if block is None and img.format == "TIFF":
        block = tiff_iim_block(fh)
    return read_iim(block) if isinstance(block, bytes) else IimFields()


def _stored_orientation(img: Image.Image, tags: dict[str, Any]) -> int:
    if img.format == "HEIF":
        # pillow-heif rotates the pixels itself and resets the EXIF tag; it keeps the original here.
        original = img.info.get("original_orientation")
        return original if isinstance(original, int) and 1 <= original <= 8 else 1
    return orientation(tags)


def _displayed_size(img: Image.Image, stored_orientation: int) -> tuple[int, int]:
    width, height = img.size
    if img.format != "HEIF" and stored_orientation in (5, 6, 7, 8):
        return height, width
    return width, height


def _fill_from_exif(meta: PhotoMetadata, tags: dict[str, Any], xmp: XmpFields) -> None:
    meta.camera_make, meta.camera_model, exif_lens = camera_fields(tags)
    meta.lens = _pick(meta, "lens", ("exif", exif_lens), ("xmp", xmp.lens))
    meta.exposure = exposure(tags)
    meta.captured_at = _pick(meta, "captured_at", ("exif", captured_at(tags)), ("xmp", xmp.captured_at))
    point = gps_point(tags) or xmp.gps
    if point is not None:
        meta.gps_lat, meta.gps_lon, meta.gps_alt = point.lat, point.lon, point.alt
        meta.sources["gps"] = "exif" if point is not xmp.gps else "xmp"


def _fill_descriptions(meta: PhotoMetadata, tags: dict[str, Any], xmp: XmpFields, iim: IimFields) -> None:
    from_exif = _exif_descriptions(tags)
    for name in _DESCRIPTIVE_FIELDS:
        candidates = (("xmp", getattr(xmp, name)), ("iptc", getattr(iim, name)), ("exif", from_exif[name]))
        value = _pick(meta, name, *candidates)
        setattr(meta, name, value if value is not None else ([] if name == "keywords" else None))
    if meta.captured_at is None:
        meta.captured_at = _pick(meta, "captured_at", ("iptc", iim.captured_at))


def _exif_descriptions(tags: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": exif.xp_text(tags.get("Image XPTitle")),
        "caption": _exif_caption(tags),
        "creator": exif.tag_text(tags, "Image Artist") or exif.xp_text(tags.get("Image XPAuthor")),
        "copyright": exif.tag_text(tags, "Image Copyright"),
        "keywords": _xp_keywords(tags),
    }


def _pick(meta: PhotoMetadata, name: str, *candidates: tuple[str, Any]) -> Any:
    """The first non-empty candidate; records which block it came from in ``meta.sources``."""
    for source, value in candidates:
        if value:
            meta.sources[name] = source
            return value
    return None


def _exif_caption(tags: dict[str, Any]) -> str | None:
    caption = exif.tag_text(tags, "Image ImageDescription") or exif.xp_text(tags.get("Image XPComment"))
    if caption and caption.upper() in _CAMERA_CAPTIONS:
        return None
    return caption


def _xp_keywords(tags: dict[str, Any]) -> list[str]:
    text = exif.xp_text(tags.get("Image XPKeywords"))
    return [k for k in (clean_text(part) for part in (text or "").split(";")) if k]
