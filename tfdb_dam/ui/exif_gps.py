"""The EXIF table's GPS rows in a reader's terms: decimal degrees with the hemisphere, altitude in
metres and the fix time, in the reader's language, instead of exifread's raw fractions
(``[16, 28, 1234/100]``). Values that do not parse are shown as stored."""

from __future__ import annotations

import math
import re
from typing import Any

from tfdb_dam.media.geo import dms_to_degrees

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))?\s*$")
# Hemisphere letters: Vietnamese maps write B(ắc), N(am), Đ(ông), T(ây).
_HEMISPHERES = {"en": {"N": "N", "S": "S", "E": "E", "W": "W"}, "vi": {"N": "B", "S": "N", "E": "Đ", "W": "T"}}
_SEA_LEVEL = {"en": ("above sea level", "below sea level"), "vi": ("trên mực nước biển", "dưới mực nước biển")}
LAT, LON, ALT, TIME = "GPS GPSLatitude", "GPS GPSLongitude", "GPS GPSAltitude", "GPS GPSTimeStamp"
_REFS = {LAT: "GPS GPSLatitudeRef", LON: "GPS GPSLongitudeRef", ALT: "GPS GPSAltitudeRef"}


def numbers(text: Any) -> list[float] | None:
    """'[16, 28, 1234/100]', '123/10' or '12' as floats; None when it is anything else."""
    parts = str(text).strip().removeprefix("[").removesuffix("]").split(",")
    values = []
    for part in parts:
        match = _NUMBER.match(part)
        if not match:
            return None
        top, bottom = float(match.group(1)), float(match.group(2) or 1)
        if bottom == 0:
            return None
        values.append(top / bottom)
    return values


def _decimal(value: float, places: int, lang: str) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "vi" else text


def coordinate(value: Any, ref: Any, lang: str, *, positive: str, negative: str) -> str | None:
    """'16.467028° N' (en) / '16,467028° B' (vi); None if the value is not a coordinate."""
    parts = numbers(value)
    letter = str(ref or positive).strip().upper()[:1]
    if not parts or letter not in (positive, negative):
        return None
    degrees = dms_to_degrees(parts, letter)
    if degrees is None:
        return None
    return f"{_decimal(abs(degrees), 6, lang)}° {_HEMISPHERES[lang][letter]}"


def altitude(value: Any, ref: Any, lang: str) -> str | None:
    parts = numbers(value)
    if not parts or len(parts) != 1 or not math.isfinite(parts[0]):
        return None
    below = str(ref).strip().lower() in ("1", "below sea level")
    return f"{_decimal(parts[0], 1, lang)} m ({_SEA_LEVEL[lang][below]})"


def fix_time(value: Any) -> str | None:
    parts = numbers(value)
    if not parts or len(parts) != 3:
        return None
    hours, minutes, seconds = parts
    return f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d} UTC"


def readable_gps(exif: dict[str, Any], lang: str) -> dict[str, Any]:
    """``exif`` with its GPS position, altitude and time readable; the reference rows they absorb
    (N/S, E/W, above/below sea level) are dropped, the rest is left as it is."""
    shown = dict(exif)
    readable = {
        LAT: coordinate(exif.get(LAT), exif.get(_REFS[LAT]), lang, positive="N", negative="S"),
        LON: coordinate(exif.get(LON), exif.get(_REFS[LON]), lang, positive="E", negative="W"),
        ALT: altitude(exif.get(ALT), exif.get(_REFS[ALT], "0"), lang),
        TIME: fix_time(exif.get(TIME)),
    }
    for key, text in readable.items():
        if key in exif and text is not None:
            shown[key] = text
            shown.pop(_REFS.get(key, ""), None)
    return shown
