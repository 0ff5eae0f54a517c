"""Editing an asset's metadata by a person: permission, version check, provenance, audit, re-index.

Every changed field is claimed as ``manual`` (so re-reading the file never overwrites it), gets
its own audit entry with the value before and after, and one history line names the fields.
Editing a rejected asset reopens it to draft (the ``reopen`` step of the workflow table).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetStatus, Category, ReviewEvent, Tag
from tfdb_dam.errors import ValidationError
from tfdb_dam.search.text import fold
from tfdb_dam.services import audit, indexing, permissions, provenance, review, rights
from tfdb_dam.services.actors import PUBLIC, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.review_rules import BY_ACTION, refusal
from tfdb_dam.services.visibility import can_see

SHORT, LONG, TAG = 500, 20_000, 200
# What search reads (indexing.search_document, embedding_text): a change here re-indexes the asset
# (its full-text documents at once, its vectors in a queued job).
INDEXED = frozenset({"title_vi", "title_en", "description_vi", "description_en", "tags", "category",
                     "source_unit", "credit"})
# Edit field -> its name in Asset.field_sources.
SOURCE_KEY = {"category": "category_id"}


@dataclass(frozen=True)
class EditResult:
    asset: Asset
    changed: list[str]
    reopened: bool


def _text(limit: int) -> Callable[[Session, Any], str | None]:
    def parse(_session: Session, raw: Any) -> str | None:
        if raw is not None and not isinstance(raw, str):
            raise ValidationError("metadata.text_needed")
        value = unicodedata.normalize("NFC", (raw or "").strip())
        if len(value) > limit:
            raise ValidationError("metadata.text_too_long", length=len(value), limit=limit)
        return value or None
    return parse


def _date(_session: Session, raw: Any) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValidationError("metadata.date_invalid", value=repr(raw)) from None


def _licence(_session: Session, raw: Any) -> str | None:
    return rights.parse_licence(raw)


def _category(session: Session, raw: Any) -> Category | None:
    if raw in (None, ""):
        return None
    column = Category.id if isinstance(raw, int) else Category.slug
    category = session.execute(select(Category).where(column == raw)).scalar_one_or_none()
    if category is None:
        raise ValidationError("metadata.category_unknown", value=repr(raw))
    return category


def _tags(_session: Session, raw: Any) -> list[str]:
    if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
        raise ValidationError("metadata.tags_not_list")
    names: dict[str, str] = {}
    for item in raw:
        name = " ".join(unicodedata.normalize("NFC", str(item)).split())
        if len(name) > TAG:
            raise ValidationError("metadata.tag_too_long", limit=TAG)
        if name:
            names.setdefault(fold(name), name)
    return list(names.values())


PARSERS: Mapping[str, Callable[[Session, Any], Any]] = {
    "title_vi": _text(SHORT), "title_en": _text(SHORT), "source_unit": _text(SHORT), "credit": _text(SHORT),
    "description_vi": _text(LONG), "description_en": _text(LONG), "usage_terms": _text(LONG),
    "license": _licence, "rights_expires_on": _date, "category": _category, "tags": _tags,
}
EDITABLE = tuple(PARSERS)


def parse_changes(session: Session, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(PARSERS))
    if unknown:
        raise ValidationError("metadata.fields_not_editable", fields=", ".join(unknown),
                              editable=", ".join(EDITABLE))
    return {name: PARSERS[name](session, raw) for name, raw in changes.items()}


def _shown(name: str, value: Any) -> Any:
    """A field's value as the audit log keeps it."""
    if name == "category":
        return value.slug if value is not None else None
    if name == "tags":
        return [tag.name for tag in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _tag_rows(session: Session, names: list[str]) -> list[Tag]:
    if not names:
        return []
    folded = {fold(name): name for name in names}
    session.execute(insert(Tag).values([{"name": n, "name_folded": f} for f, n in folded.items()])
                    .on_conflict_do_nothing(index_elements=["name_folded"]))
    found = session.execute(select(Tag).where(Tag.name_folded.in_(folded))).scalars()
    rows = {tag.name_folded: tag for tag in found}
    return [rows[f] for f in folded]


def _apply_values(session: Session, asset: Asset, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Set what differs; returns (field, before, after) as the audit shows them."""
    diffs = []
    for name, value in values.items():
        if name == "tags":
            before, value = [t.name for t in asset.tags], _tag_rows(session, value)
            if [t.name for t in value] == before:
                continue
            asset.tags = value
        else:
            before = _shown(name, getattr(asset, name))  # "category" is the relationship itself
            if _shown(name, value) == before:
                continue
            setattr(asset, name, value)
        provenance.claim(asset, SOURCE_KEY.get(name, name), provenance.MANUAL)
        diffs.append((name, before, _shown(name, value)))
    return diffs


def edit_metadata(session: Session, ctx: Context, actor: Actor, asset_id: int, changes: Mapping[str, Any], *,
                  expected_version: int) -> EditResult:
    """Apply a person's edits to one asset in the caller's transaction; see the module docstring."""
    values = parse_changes(session, changes)
    asset = review.lock_asset(session, actor, asset_id)
    permissions.require_edit(actor, asset)
    review.check_version(session, asset, expected_version)
    was_public = can_see(PUBLIC, asset)
    with session.no_autoflush:  # one UPDATE, so one version step, however many fields change
        diffs = _apply_values(session, asset, values)
    if not diffs:
        return EditResult(asset, [], False)
    if was_public or can_see(PUBLIC, asset):  # what harvesters see changed (OAI-PMH datestamp)
        asset.public_changed_at = dt.datetime.now(dt.timezone.utc)
    review.touch(asset, actor)
    reopened = _reopen_if_rejected(session, actor, asset)
    changed = [name for name, _, _ in diffs]
    for name, before, after in diffs:
        audit.record(session, actor, "asset.edit", object_type="asset", object_id=asset.id,
                     details={"field": name, "before": before, "after": after, "version": asset.version})
    status = asset.status.value
    session.add(ReviewEvent(asset_id=asset.id, actor_id=actor.user_id, action="edit", from_status=status,
                            to_status=status, comment=", ".join(changed)))
    if INDEXED.intersection(changed):
        indexing.index_assets(session, ctx, [asset.id])
    return EditResult(asset, changed, reopened)


def _reopen_if_rejected(session: Session, actor: Actor, asset: Asset) -> bool:
    if asset.status is not AssetStatus.rejected:
        session.flush()
        return False
    rule = BY_ACTION["reopen"]
    problem = refusal(rule, actor, asset)
    if problem is not None:
        raise problem
    review.apply(session, actor, asset, rule, None)
    return True
