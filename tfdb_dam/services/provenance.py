"""Metadata provenance: which source may set which field (file < import < manual), as one pure rule.

Every editable field of an asset remembers where its value came from in ``Asset.field_sources``.
A source never overwrites a field set by a higher-ranked one, so re-reading a file's EXIF or
re-running an import never destroys what a person typed. A field that has a value but no
recorded source was written by code that did not go through here (an edit screen, a script):
it counts as a person's edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILE, IMPORT, MANUAL = "file", "import", "manual"
RANK = {FILE: 1, IMPORT: 2, MANUAL: 3}

# The fields people curate; technical facts (size, codecs, width...) always come from the file.
EDITABLE_FIELDS = frozenset({
    "title_vi", "title_en", "description_vi", "description_en", "category_id", "tags",
    "source_unit", "credit", "license", "usage_terms", "rights_expires_on",
    "captured_at", "captured_tz_offset_min", "gps_lat", "gps_lon", "gps_alt",
})


def _rank(source: str) -> int:
    try:
        return RANK[source]
    except KeyError:
        raise ValueError(f"Unknown metadata source {source!r}; use file, import or manual.") from None


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, set, dict)) and not value)


def current_source(asset: Any, field: str) -> str | None:
    """The recorded source of ``field``; MANUAL for a value written without provenance."""
    recorded = (asset.field_sources or {}).get(field)
    if recorded:
        return recorded
    if field != "tags" and not _is_empty(getattr(asset, field, None)):
        return MANUAL
    return None


def may_set(asset: Any, field: str, source: str) -> bool:
    """Whether ``source`` may write ``field``: only if nothing higher-ranked wrote it before."""
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"{field!r} is not a metadata field with provenance.")
    held = current_source(asset, field)
    return held is None or _rank(source) >= _rank(held)


def claim(asset: Any, field: str, source: str) -> None:
    """Record ``source`` as the origin of ``field`` (a new dict, so the JSONB change is seen)."""
    _rank(source)
    asset.field_sources = {**(asset.field_sources or {}), field: source}


def apply_fields(asset: Any, values: Mapping[str, Any], source: str) -> list[str]:
    """Set each field ``source`` may set; returns the names of fields whose value changed.

    Empty values from a file or an import say nothing and are skipped; a person (MANUAL) may
    clear a field. ``tags`` cannot be set here (they are rows): use ``may_set`` and ``claim``.
    """
    _rank(source)
    changed: list[str] = []
    for field, value in values.items():
        if field == "tags":
            raise ValueError("Tags are rows; check may_set(asset, 'tags', source) and attach them.")
        if (_is_empty(value) and source != MANUAL) or not may_set(asset, field, source):
            continue
        if getattr(asset, field, None) != value:
            setattr(asset, field, value)
            changed.append(field)
        if (asset.field_sources or {}).get(field) != source:
            claim(asset, field, source)
    return changed
