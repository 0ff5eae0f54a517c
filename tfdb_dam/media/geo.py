"""Owns turning the coordinate notations of EXIF, XMP and ISO 6709 into signed decimal degrees."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# ISO 6709 as phones write it in video containers: "+16.4637+107.5909+012.000/".
# Integer parts of 2/4/6 (latitude) or 3/5/7 (longitude) digits mean D, DM or DMS.
_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?")


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float
    alt: float | None = None


def dms_to_degrees(parts: list[float], ref: str | None) -> float | None:
    """[degrees, minutes, seconds] (any tail may be missing) and N/S/E/W as signed degrees."""
    if not parts or len(parts) > 3 or any(not math.isfinite(p) or p < 0 for p in parts):
        return None
    degrees = sum(value / 60**i for i, value in enumerate(parts))
    return -degrees if (ref or "").strip().upper()[:1] in ("S", "W") else degrees


def valid_point(lat: float | None, lon: float | None, alt: float | None = None) -> GeoPoint | None:
    """A GeoPoint when the pair is on Earth; (0, 0) counts as a receiver without a fix."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:
        return None
    return GeoPoint(lat, lon, alt if alt is not None and math.isfinite(alt) else None)


def parse_iso6709(text: str | None) -> GeoPoint | None:
    """ISO 6709 strings such as '+16.4637+107.5909+012.000/' or '+4041.00-07402.67/'."""
    match = _ISO6709.fullmatch((text or "").strip())
    if not match:
        return None
    lat = _iso6709_component(match.group(1), degree_digits=2)
    lon = _iso6709_component(match.group(2), degree_digits=3)
    alt = float(match.group(3)) if match.group(3) else None
    return valid_point(lat, lon, alt)


def _iso6709_component(text: str, *, degree_digits: int) -> float | None:
    sign = -1.0 if text[0] == "-" else 1.0
    whole = text[1:].partition(".")[0]
    extra = len(whole) - degree_digits  # 0: D.D, 2: DDMM.M, 4: DDMMSS.S
    if extra not in (0, 2, 4):
        return None
    number = float(text[1:])
    if extra == 0:
        return sign * number
    scale = 10.0**extra
    degrees, rest = divmod(number, scale)
    if extra == 2:
        return sign * (degrees + rest / 60)
    minutes, seconds = divmod(rest, 100)
    return sign * (degrees + minutes / 60 + seconds / 3600)


def parse_xmp_coordinate(text: str | None) -> float | None:
    """XMP 'DDD,MM.mmk' or 'DDD,MM,SSk' (k = N/S/E/W) as signed degrees."""
    text = (text or "").strip()
    if len(text) < 2 or text[-1].upper() not in "NSEW":
        return None
    try:
        parts = [float(p) for p in text[:-1].split(",")]
    except ValueError:
        return None
    return dms_to_degrees(parts, text[-1])
