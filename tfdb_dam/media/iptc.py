"""Owns reading the IPTC IIM datasets (caption, by-line, keywords...) that newsroom tools embed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from tfdb_dam.media.dates import parse_iim_datetime
from tfdb_dam.media.text import clean_text

MALFORMED_WARNING = "The IPTC block is malformed; only the datasets before the damage were read."

# Record 2 (application record) dataset numbers.
_TITLE, _KEYWORDS, _DATE, _TIME, _BYLINE, _HEADLINE, _COPYRIGHT, _CAPTION = 5, 25, 55, 60, 80, 105, 116, 120
_UTF8_MARKERS = (b"\x1b%G", b"\x1b%/I")  # record 1:90, "coded character set"
_TIFF_IPTC_TAG = 33723
_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}  # BYTE, ASCII, SHORT, LONG, UNDEFINED
_MAX_BLOCK_BYTES = 16 * 1024 * 1024


@dataclass
class IimFields:
    title: str | None = None
    caption: str | None = None
    creator: str | None = None
    copyright: str | None = None
    keywords: list[str] = field(default_factory=list)
    captured_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)


def read_iim(block: bytes) -> IimFields:
    """The fields of an IIM block (Photoshop resource 0x0404, or TIFF tag 33723)."""
    datasets, damaged = _datasets(block)
    utf8 = any(value.startswith(_UTF8_MARKERS) for value in datasets.get((1, 90), []))
    text = {key: [_decode(v, utf8) for v in values] for key, values in datasets.items() if key[0] == 2}

    def first(number: int) -> str | None:
        return next((v for v in text.get((2, number), []) if v), None)

    return IimFields(
        title=first(_TITLE) or first(_HEADLINE),
        caption=first(_CAPTION),
        creator="; ".join(v for v in text.get((2, _BYLINE), []) if v) or None,
        copyright=first(_COPYRIGHT),
        keywords=list(dict.fromkeys(v for v in text.get((2, _KEYWORDS), []) if v)),
        captured_at=parse_iim_datetime(first(_DATE), first(_TIME)),
        warnings=[MALFORMED_WARNING] if damaged else [],
    )


def _datasets(block: bytes) -> tuple[dict[tuple[int, int], list[bytes]], bool]:
    """Every (record, dataset) -> values, and whether the block ended in damage."""
    found: dict[tuple[int, int], list[bytes]] = {}
    pos = 0
    while pos + 5 <= len(block):
        if block[pos] != 0x1C:
            # Photoshop pads the resource to an even length with NULs: not damage.
            return found, any(block[pos:])
        record, number, length = (
            block[pos + 1],
            block[pos + 2],
            int.from_bytes(block[pos + 3 : pos + 5], "big"),
        )
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits count the bytes of the real length
            size = length & 0x7FFF
            length = int.from_bytes(block[pos : pos + size], "big")
            pos += size
        if pos + length > len(block):
            return found, True
        found.setdefault((record, number), []).append(block[pos : pos + length])
        pos += length
    return found, False


def _decode(value: bytes, utf8: bool) -> str | None:
    if utf8:
        return clean_text(value.decode("utf-8", errors="replace"))
    return clean_text(value)  # valid UTF-8 is taken as such (most tools now write it unflagged)


def tiff_iim_block(fh: BinaryIO) -> bytes | None:
    """The raw IPTC block of a TIFF's first IFD (tag 33723), whatever type the writer declared.

    Read by hand because Pillow keeps only the first value of this tag and exifread
    skips arrays of 1000 values or more.
    """
    fh.seek(0)
    header = fh.read(8)
    if header[:4] not in (b"II*\x00", b"MM\x00*"):
        return None
    order = "little" if header[:2] == b"II" else "big"
    fh.seek(int.from_bytes(header[4:8], order))
    count_bytes = fh.read(2)
    entries = fh.read(12 * int.from_bytes(count_bytes, order)) if len(count_bytes) == 2 else b""
    for start in range(0, len(entries) - 11, 12):
        entry = entries[start : start + 12]
        if int.from_bytes(entry[:2], order) == _TIFF_IPTC_TAG:
            return _tiff_value(fh, entry, order)
    return None


def _tiff_value(fh: BinaryIO, entry: bytes, order: str) -> bytes | None:
    size = _TIFF_TYPE_SIZES.get(int.from_bytes(entry[2:4], order), 0) * int.from_bytes(entry[4:8], order)
    if not 0 < size <= _MAX_BLOCK_BYTES:
        return None
    if size <= 4:
        return entry[8 : 8 + size]
    fh.seek(int.from_bytes(entry[8:12], order))
    return fh.read(size)
