"""Owns turning the date notations of EXIF, XMP, IPTC and video containers into datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_EXIF_DATETIME = re.compile(r"(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")
_MAX_OFFSET = timedelta(hours=14)


def parse_offset(text: str | None) -> tzinfo | None:
    """'+07:00', '+0700', '-05:00' or 'Z' as a fixed offset; None when absent or nonsense."""
    if not text:
        return None
    text = text.strip()
    if text == "Z":
        return UTC
    match = _OFFSET.fullmatch(text)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > _MAX_OFFSET or int(minutes) >= 60:
        return None
    return timezone(-delta if sign == "-" else delta)


def parse_exif_datetime(
    text: str | None, *, subsec: str | None = None, offset: str | None = None
) -> datetime | None:
    """EXIF 'YYYY:MM:DD HH:MM:SS' (+ SubSecTime, + OffsetTime); None for blanks and zeros.

    Timezone-aware only when the camera recorded its offset; a naive result means local time.
    """
    match = _EXIF_DATETIME.match((text or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        value = datetime(year, month, day, hour, minute, second, _microseconds(subsec))
    except ValueError:
        return None  # '0000:00:00 00:00:00' and other placeholders
    return value.replace(tzinfo=parse_offset(offset)) if year >= 1800 else None


def _microseconds(subsec: str | None) -> int:
    digits = "".join(ch for ch in (subsec or "") if ch.isdigit())[:6]
    return int(digits.ljust(6, "0")) if digits else 0


def parse_iso_datetime(text: str | None) -> datetime | None:
    """ISO 8601 as XMP and QuickTime write it: date only, with or without seconds, Z or ±hh[:]mm."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())  # Python 3.11+ reads Z, +0700 and date-only forms
    except ValueError:
        return None
    return value if value.year >= 1800 else None


def parse_iim_datetime(date: str | None, time: str | None) -> datetime | None:
    """IPTC IIM 2:55 'YYYYMMDD' with 2:60 'HHMMSS±HHMM'; None when the date is missing or invalid."""
    if not date or len(date) != 8 or not date.isdigit():
        return None
    clock = (time or "")[:6]
    hour, minute, second = (
        (int(clock[i : i + 2]) for i in (0, 2, 4)) if clock.isdigit() and len(clock) == 6 else (0, 0, 0)
    )
    try:
        value = datetime(int(date[:4]), int(date[4:6]), int(date[6:]), hour, minute, second)
    except ValueError:
        return None
    return value.replace(tzinfo=parse_offset((time or "")[6:])) if value.year >= 1800 else None
