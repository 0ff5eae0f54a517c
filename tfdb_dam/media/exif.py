"""Owns reading EXIF tags with exifread so that a malformed block costs only its unreadable tags."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from exifread.core.exceptions import ExifError
from exifread.core.exif_header import ExifHeader
from exifread.core.find_exif import determine_type, get_endian_str
from exifread.tags.exif import EXIF_TAGS

from tfdb_dam.media.text import clean_text

MALFORMED_WARNING = "The EXIF block is malformed; its unreadable tags were skipped."

# Tags that hold binary blobs, thumbnails or pointers: useless (or unsafe) to show a person.
_HIDDEN_TAGS = {
    "JPEGThumbnail",
    "TIFFThumbnail",
    "EXIF MakerNote",
    "EXIF UserComment",
    "Image ApplicationNotes",
    "Image PrintIM",
    "Image ExifOffset",
    "Image GPSInfo",
    "EXIF InteroperabilityOffset",
    "Image JPEGInterchangeFormat",
    "Image JPEGInterchangeFormatLength",
    "Image StripOffsets",
    "Image StripByteCounts",
    "Image TileOffsets",
    "Image TileByteCounts",
    "Image SubIFDs",
    "EXIF ComponentsConfiguration",
    "EXIF Padding",
    "Image Padding",
    "EXIF OffsetSchema",
    "Image ImageResources",
    "Image IPTC/NAA",
    "Image InterColorProfile",
    "Image ICC Profile",
}
_XP_TAGS = ("Image XPTitle", "Image XPComment", "Image XPAuthor", "Image XPKeywords", "Image XPSubject")
_MAX_DISPLAY_CHARS = 500

logger = logging.getLogger(__name__)


def exif_tags_from_bytes(block: bytes) -> tuple[dict[str, Any], bool]:
    """Tags of an EXIF block as Pillow hands it over (with or without the ``Exif\\0\\0`` prefix)."""
    if block.startswith(b"Exif\x00\x00"):
        block = block[6:]
    return exif_tags_from_file(io.BytesIO(block))


def exif_tags_from_file(fh: BinaryIO) -> tuple[dict[str, Any], bool]:
    """exifread's tags (``"IFD Name" -> IfdTag``) and whether parts of the block were unreadable.

    Mirrors ``exifread.process_file(details=False)`` step by step, because that function returns
    nothing at all when one IFD is broken; here each step that fails is skipped and the tags
    read before it are kept. MakerNotes and thumbnails are not read.
    """
    fh.seek(0)
    with _exifread_complaints() as complaints:
        try:
            offset, endian_bytes, fake_exif = determine_type(fh)
            endian, _ = get_endian_str(endian_bytes)
        except ExifError:
            return {}, False  # no EXIF at all is not damage
        except Exception as exc:  # exifread raises bare IndexError/struct.error on junk
            logger.debug("EXIF header unreadable: %r", exc)
            return {}, True
        header = ExifHeader(fh, endian, offset, fake_exif, strict=False, detailed=False, truncate_tags=True)
        damaged = not _run(lambda: _dump_main_ifds(header))
        exif_offset = header.tags.get("Image ExifOffset")
        if exif_offset is not None:
            damaged |= not _run(lambda: header.dump_ifd(ifd=exif_offset.values[0], ifd_name="EXIF"))
    return header.tags, damaged or complaints.count > 0


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _exifread_complaints() -> Iterator[_Counter]:
    """Count exifread's warnings (its only sign of tags it skipped) instead of printing them."""
    exifread_logger = logging.getLogger("exifread")
    counter, propagate, level = _Counter(), exifread_logger.propagate, exifread_logger.level
    exifread_logger.addHandler(counter)
    exifread_logger.propagate = False
    exifread_logger.setLevel(logging.WARNING)
    try:
        yield counter
    finally:
        exifread_logger.removeHandler(counter)
        exifread_logger.propagate = propagate
        exifread_logger.setLevel(level)


def _dump_main_ifds(header: ExifHeader) -> None:
    # IFD0 only: IFD1 is the thumbnail and further IFDs are rare pages we do not show.
    ifds = header.list_ifd()
    if ifds:
        header.dump_ifd(ifd=ifds[0], ifd_name="Image")


def _run(step) -> bool:
    try:
        step()
        return True
    except Exception as exc:  # any exifread failure inside one IFD: keep what was read
        logger.debug("EXIF IFD unreadable: %r", exc)
        return False


def display_tags(tags: dict[str, Any]) -> dict[str, str]:
    """A flat, readable ``name -> value`` view of the tags, without blobs or thumbnails."""
    shown: dict[str, str] = {}
    for name, tag in tags.items():
        if name in _HIDDEN_TAGS or name.startswith(("Thumbnail ", "MakerNote ")):
            continue
        value = xp_text(tag) if name in _XP_TAGS else _printable(tag)
        if value:
            shown[name] = value[:_MAX_DISPLAY_CHARS]
    return shown


def orientation_name(value: int) -> str:
    """exifread's wording for an orientation value, e.g. 6 -> 'Rotated 90 CW'."""
    return EXIF_TAGS[0x0112][1].get(value, str(value))


def _printable(tag: Any) -> str | None:
    printable = getattr(tag, "printable", None)
    if not isinstance(printable, str) or printable.endswith(", ... ]"):
        return None  # exifread truncates long byte arrays: binary data, not text
    return clean_text(printable)


def xp_text(tag: Any) -> str | None:
    """Text of a Windows Explorer tag (XPTitle, XPKeywords...): UTF-16LE bytes."""
    values = getattr(tag, "values", None)
    if isinstance(values, str):
        return clean_text(values)
    if not isinstance(values, list) or not all(isinstance(v, int) and 0 <= v < 256 for v in values):
        return None
    return clean_text(bytes(values).decode("utf-16-le", errors="replace"))


def tag_text(tags: dict[str, Any], name: str) -> str | None:
    """The cleaned text of an ASCII tag, or None."""
    tag = tags.get(name)
    if tag is None:
        return None
    values = getattr(tag, "values", None)
    if isinstance(values, (str, bytes)):
        return clean_text(values)
    return clean_text(getattr(tag, "printable", None))


def tag_numbers(tags: dict[str, Any], name: str) -> list[float] | None:
    """The numeric values of a tag as floats; None when absent, empty or not numeric."""
    tag = tags.get(name)
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or not values:
        return None
    numbers = [_number(v) for v in values]
    return None if any(n is None for n in numbers) else numbers  # type: ignore[return-value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value)
    numerator, denominator = getattr(value, "numerator", None), getattr(value, "denominator", None)
    if isinstance(numerator, int) and isinstance(denominator, int):
        # exifread keeps n/0 ratios instead of failing; they carry no value.
        return numerator / denominator if denominator else None
    return float(value) if isinstance(value, float) else None


def tag_ratio(tags: dict[str, Any], name: str) -> tuple[int, int] | None:
    """The first value of a rational tag as (numerator, denominator), or None."""
    tag = tags.get(name)
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or not values:
        return None
    first = values[0]
    numerator, denominator = getattr(first, "numerator", None), getattr(first, "denominator", None)
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator > 0 and numerator > 0:
        return numerator, denominator
    return None
