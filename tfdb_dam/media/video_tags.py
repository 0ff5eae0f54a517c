"""Owns reading capture time and place from the metadata tags of video containers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tfdb_dam.media.dates import parse_iso_datetime
from tfdb_dam.media.geo import GeoPoint, parse_iso6709

# Phones write local time with its offset under the Apple key; creation_time is UTC and is
# often the moment of export, so it comes second.
_DATE_KEYS = ("com.apple.quicktime.creationdate", "creation_time", "date")
_LOCATION_KEYS = ("com.apple.quicktime.location.iso6709", "location", "location-eng")
# Zero dates of QuickTime (1904) and Unix (1970) that muxers write when they know nothing.
_PLACEHOLDER_YEARS = {1904, 1970}


def lowered(tags: Mapping[str, str]) -> dict[str, str]:
    """Tags with lower-case keys: Matroska writes them upper-case, MP4 lower-case."""
    return {str(key).lower(): str(value) for key, value in tags.items()}


def captured_at(*tag_sets: Mapping[str, str]) -> datetime | None:
    """The first usable capture date among container then stream tags."""
    for key in _DATE_KEYS:
        for tags in tag_sets:
            value = parse_iso_datetime(tags.get(key))
            if value is not None and value.year not in _PLACEHOLDER_YEARS:
                return value
    return None


def location(*tag_sets: Mapping[str, str]) -> GeoPoint | None:
    for key in _LOCATION_KEYS:
        for tags in tag_sets:
            point = parse_iso6709(tags.get(key))
            if point is not None:
                return point
    return None
