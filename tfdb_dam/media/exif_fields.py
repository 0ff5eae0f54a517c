"""Owns turning exifread tags into typed fields: capture time, camera, exposure, orientation, GPS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tfdb_dam.media.dates import parse_exif_datetime
from tfdb_dam.media.exif import tag_numbers, tag_ratio, tag_text
from tfdb_dam.media.geo import GeoPoint, dms_to_degrees, valid_point

# (date tag, sub-second tag, offset tag), most trustworthy first.
_CAPTURE_TAGS = (
    ("EXIF DateTimeOriginal", "EXIF SubSecTimeOriginal", "EXIF OffsetTimeOriginal"),
    ("EXIF DateTimeDigitized", "EXIF SubSecTimeDigitized", "EXIF OffsetTimeDigitized"),
    ("Image DateTime", "EXIF SubSecTime", "EXIF OffsetTime"),
)


def captured_at(tags: dict[str, Any]) -> datetime | None:
    for date_tag, subsec_tag, offset_tag in _CAPTURE_TAGS:
        offset = tag_text(tags, offset_tag) or tag_text(tags, "EXIF OffsetTime")
        value = parse_exif_datetime(
            tag_text(tags, date_tag), subsec=tag_text(tags, subsec_tag), offset=offset
        )
        if value is not None:
            return value
    return None


def camera_fields(tags: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(make, model, lens)."""
    lens = tag_text(tags, "EXIF LensModel")
    lens_make = tag_text(tags, "EXIF LensMake")
    if lens and lens_make and not lens.lower().startswith(lens_make.lower()):
        lens = f"{lens_make} {lens}"
    return tag_text(tags, "Image Make"), tag_text(tags, "Image Model"), lens


def orientation(tags: dict[str, Any]) -> int:
    values = tag_numbers(tags, "Image Orientation")
    value = int(values[0]) if values else 1
    return value if 1 <= value <= 8 else 1


def exposure(tags: dict[str, Any]) -> dict[str, Any]:
    """exposure_time ('1/250', '2'), f_number, iso, focal_length_mm: only those present and sane."""
    found: dict[str, Any] = {}
    ratio = tag_ratio(tags, "EXIF ExposureTime")
    if ratio:
        found["exposure_time"] = _shutter_text(*ratio)
    f_number = _first_positive(tags, "EXIF FNumber")
    if f_number:
        found["f_number"] = round(f_number, 2)
    iso = _first_positive(tags, "EXIF ISOSpeedRatings") or _first_positive(
        tags, "EXIF PhotographicSensitivity"
    )
    if iso:
        found["iso"] = int(iso)
    focal = _first_positive(tags, "EXIF FocalLength")
    if focal:
        found["focal_length_mm"] = round(focal, 2)
    return found


def _first_positive(tags: dict[str, Any], name: str) -> float | None:
    values = tag_numbers(tags, name)
    return values[0] if values and values[0] > 0 else None


def _shutter_text(numerator: int, denominator: int) -> str:
    """How photographers write a shutter speed: '1/250' below a second, '2' or '2.5' above."""
    seconds = numerator / denominator
    if seconds >= 1:
        return f"{seconds:g}" if seconds == int(seconds) else f"{seconds:.1f}"
    if numerator == 1:
        return f"1/{denominator}"
    return f"1/{round(denominator / numerator)}"


def gps_point(tags: dict[str, Any]) -> GeoPoint | None:
    """Signed decimal degrees (south and west negative) and metres (below sea level negative)."""
    lat = _coordinate(tags, "GPS GPSLatitude", "GPS GPSLatitudeRef")
    lon = _coordinate(tags, "GPS GPSLongitude", "GPS GPSLongitudeRef")
    return valid_point(lat, lon, _altitude(tags))


def _coordinate(tags: dict[str, Any], value_tag: str, ref_tag: str) -> float | None:
    parts = tag_numbers(tags, value_tag)
    return dms_to_degrees(parts, tag_text(tags, ref_tag)) if parts else None


def _altitude(tags: dict[str, Any]) -> float | None:
    values = tag_numbers(tags, "GPS GPSAltitude")
    if not values:
        return None
    ref = tag_numbers(tags, "GPS GPSAltitudeRef")
    return -values[0] if ref and ref[0] == 1 else values[0]
