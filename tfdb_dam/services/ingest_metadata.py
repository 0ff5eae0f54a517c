"""Metadata that comes with a file: the import CSV (source "import") and what the file says ("file").

Both go through ``provenance`` so that neither ever overwrites what ranks above it. Capture
times without a UTC offset are stored as the camera's wall clock read as UTC, with
``captured_tz_offset_min`` NULL to say the zone is unknown.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Category, Tag
from tfdb_dam.errors import UsageError, ValidationError
from tfdb_dam.search.text import fold, has_vietnamese_marks
from tfdb_dam.services import provenance
from tfdb_dam.services.licences import LICENCES

CSV_COLUMNS = ("filename", "title_vi", "title_en", "description_vi", "description_en", "tags",
               "category", "source_unit", "credit", "license", "captured_at")
_LIMITS = {"title_vi": 500, "title_en": 500, "source_unit": 500, "credit": 500, "license": 50,
           "usage_terms": 20000, "description_vi": 20000, "description_en": 20000}
_LICENCE_CODES = {code.lower(): code for code in LICENCES}


@dataclass
class ImportMetadata:
    """The CSV's rows keyed by matching name, and the columns it had that we do not know."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    unknown_columns: tuple[str, ...] = ()

    def for_file(self, filename: str) -> dict[str, str]:
        return self.rows.get(match_key(filename), {})


def match_key(filename: str) -> str:
    """File names match whatever the normalisation or letter case the CSV was typed with."""
    return unicodedata.normalize("NFC", Path(filename).name.strip()).casefold()


def read_metadata_csv(path: Path) -> ImportMetadata:
    """Read and check the whole CSV before anything is imported; UsageError names the bad row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [name.strip() for name in reader.fieldnames or []]
            if "filename" not in header:
                raise UsageError("csv.no_filename_header", path=path)
            reader.fieldnames = header
            result = ImportMetadata(unknown_columns=tuple(c for c in header if c not in CSV_COLUMNS))
            for line, row in enumerate(reader, start=2):
                _add_row(result, row, line, path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError("csv.unreadable", path=path, reason=str(exc)) from exc
    return result


def _add_row(result: ImportMetadata, row: dict[str, Any], line: int, path: Path) -> None:
    values = {k: (v or "").strip() for k, v in row.items() if k in CSV_COLUMNS and isinstance(v, str)}
    name = values.pop("filename", "")
    if not name:
        raise UsageError("csv.line_no_filename", line=line, path=path)
    key = match_key(name)
    if key in result.rows:
        raise UsageError("csv.line_duplicate", line=line, path=path, name=repr(name))
    try:
        check_values(values)
    except ValidationError as exc:
        raise UsageError("csv.line_invalid", line=line, path=path, name=name, reason=exc) from exc
    result.rows[key] = {k: v for k, v in values.items() if v}


def check_values(values: Mapping[str, str]) -> None:
    """ValidationError, in one sentence, for a value that cannot be stored as given."""
    for name, limit in _LIMITS.items():
        if len(values.get(name) or "") > limit:
            raise ValidationError("metadata.field_too_long", field=name, limit=limit)
    if values.get("captured_at"):
        parse_capture_time(values["captured_at"])


def parse_capture_time(raw: str) -> dt.datetime:
    """ISO 8601 date or date-time, with or without a UTC offset."""
    try:
        return dt.datetime.fromisoformat(raw.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError("metadata.capture_time_invalid", value=repr(raw)) from None


def split_tags(raw: str | Iterable[str] | None) -> list[str]:
    """Tags separated by ';' (or given as a list), trimmed, without repeats that fold alike."""
    parts = raw.split(";") if isinstance(raw, str) else list(raw or [])
    unique: dict[str, str] = {}
    for part in parts:
        name = " ".join(str(part).split())[:200]
        if name and fold(name) not in unique:
            unique[fold(name)] = name
    return list(unique.values())


# --- applying -----------------------------------------------------------------------------
def apply_import_metadata(session: Session, asset: Asset, values: Mapping[str, str],
                          source: str) -> list[str]:
    """Apply CSV (or upload form) values with ``source``; returns the fields that changed."""
    fields = {k: v for k, v in values.items() if k in _LIMITS and k != "usage_terms"}
    if values.get("license"):
        fields["license"] = _LICENCE_CODES.get(values["license"].lower(), values["license"])
    if values.get("category"):
        fields["category_id"] = category_id(session, values["category"])
    changed = provenance.apply_fields(asset, fields, source)
    if values.get("captured_at"):
        changed += apply_capture_time(asset, parse_capture_time(values["captured_at"]), source)
    if values.get("tags") and set_tags(session, asset, split_tags(values["tags"]), source):
        changed.append("tags")
    return changed


def category_id(session: Session, slug: str) -> int:
    found = session.execute(select(Category.id).where(Category.slug == slug.strip())).scalar()
    if found is None:
        known = ", ".join(session.execute(select(Category.slug).order_by(Category.sort_order)).scalars())
        raise ValidationError("metadata.category_unknown_known", value=repr(slug), known=known)
    return found


def check_categories(session: Session, metadata: ImportMetadata) -> None:
    """UsageError before importing when a CSV row names a category that does not exist."""
    for name, values in metadata.rows.items():
        if values.get("category"):
            try:
                category_id(session, values["category"])
            except ValidationError as exc:
                raise UsageError("csv.metadata_for", name=name, reason=exc) from exc


def apply_capture_time(asset: Asset, when: dt.datetime, source: str) -> list[str]:
    """The capture time and its zone go together: whoever may set one sets both."""
    if not provenance.may_set(asset, "captured_at", source):
        return []
    offset = None if when.tzinfo is None else int(when.utcoffset().total_seconds() // 60)
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
    changed = []
    for name, value in (("captured_at", aware), ("captured_tz_offset_min", offset)):
        if getattr(asset, name) != value:
            setattr(asset, name, value)
            changed.append(name)
        provenance.claim(asset, name, source)
    return changed


def set_tags(session: Session, asset: Asset, names: list[str], source: str) -> bool:
    """Replace the asset's tags with ``names`` if ``source`` may; True when they changed."""
    if not names or not provenance.may_set(asset, "tags", source):
        return False
    tags = [tag_named(session, name) for name in names]
    changed = {t.id for t in asset.tags} != {t.id for t in tags}
    if changed:
        asset.tags = tags
    provenance.claim(asset, "tags", source)
    return changed


def tag_named(session: Session, name: str) -> Tag:
    """The tag that folds like ``name``, created if new (safe against a concurrent creator)."""
    folded = fold(name)
    session.execute(insert(Tag).values(name=name, name_folded=folded).on_conflict_do_nothing())
    return session.execute(select(Tag).where(Tag.name_folded == folded)).scalar_one()


# --- what a file says ---------------------------------------------------------------------
def text_fields(title: str | None, caption: str | None) -> dict[str, str]:
    """A file's title and caption go to the Vietnamese or English fields by their letters."""
    fields: dict[str, str] = {}
    for value, stem, limit in ((title, "title", 500), (caption, "description", 20000)):
        if value and value.strip():
            lang = "vi" if has_vietnamese_marks(value) else "en"
            fields[f"{stem}_{lang}"] = value.strip()[:limit]
    return fields


def rights_fields(creator: str | None, copyright_notice: str | None) -> dict[str, str]:
    """The creator is the credit line; a copyright notice is a usage term staff may reword."""
    fields = {}
    if creator and creator.strip():
        fields["credit"] = creator.strip()[:500]
    if copyright_notice and copyright_notice.strip():
        fields["usage_terms"] = copyright_notice.strip()[:20000]
    return fields


def add_note(asset: Asset, note: str) -> None:
    if note not in (asset.notes or []):
        asset.notes = [*(asset.notes or []), note]
