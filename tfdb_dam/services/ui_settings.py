"""Settings an administrator may change while the app runs (RuntimeSetting rows), declared as data.

Environment settings (config.SETTINGS) need a restart; these take effect on the next page view.
Each is read where it is used: the home and gallery notices, the upload form's default licence
and credit, the number of thumbnails per library page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from tfdb_dam.db.models import RuntimeSetting
from tfdb_dam.errors import ValidationError
from tfdb_dam.services import audit, rights
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.permissions import Capability, require


def _text(limit: int) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        value = " ".join(str(raw or "").split()) if limit <= 500 else str(raw or "").strip()
        if len(value) > limit:
            raise ValidationError("settings.too_long", limit=limit)
        return value
    return parse


def _licence(raw: Any) -> str:
    return rights.parse_licence(str(raw or "")) or ""


def _per_page(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError("settings.per_page_not_number") from None
    if value not in PER_PAGE_CHOICES:
        raise ValidationError("settings.per_page_choices", choices=", ".join(map(str, PER_PAGE_CHOICES)))
    return value


PER_PAGE_CHOICES = (24, 48, 60, 96)


@dataclass(frozen=True)
class RuntimeSettingSpec:
    key: str
    default: Any
    parse: Callable[[Any], Any]
    kind: str  # how a form edits it: text | long_text | licence | per_page


RUNTIME_SETTINGS: tuple[RuntimeSettingSpec, ...] = (
    RuntimeSettingSpec("notice_vi", "", _text(2000), "long_text"),
    RuntimeSettingSpec("notice_en", "", _text(2000), "long_text"),
    RuntimeSettingSpec("upload_default_licence", "CC-BY-4.0", _licence, "licence"),
    RuntimeSettingSpec("upload_default_credit", "", _text(500), "text"),
    RuntimeSettingSpec("library_per_page", 60, _per_page, "per_page"),
)
_BY_KEY = {spec.key: spec for spec in RUNTIME_SETTINGS}


def runtime_settings(session: Session) -> dict[str, Any]:
    """Every declared setting's current value (its default when never set)."""
    stored = dict(session.execute(select(RuntimeSetting.key, RuntimeSetting.value)
                                  .where(RuntimeSetting.key.in_(list(_BY_KEY)))).all())
    return {spec.key: stored.get(spec.key, spec.default) for spec in RUNTIME_SETTINGS}


def update_runtime_settings(session: Session, actor: Actor, values: dict[str, Any]) -> list[str]:
    """Store the values that changed (administrators only); returns their keys. Audited."""
    require(actor, Capability.manage_settings)
    unknown = sorted(set(values) - set(_BY_KEY))
    if unknown:
        raise ValidationError("settings.unknown", names=", ".join(unknown))
    current = runtime_settings(session)
    changed = []
    for key, raw in values.items():
        value = _BY_KEY[key].parse(raw)
        if value == current[key]:
            continue
        session.execute(insert(RuntimeSetting).values(key=key, value=value, updated_by=actor.username)
                        .on_conflict_do_update(index_elements=["key"], set_={
                            "value": value, "updated_by": actor.username, "updated_at": func.now()}))
        audit.record(session, actor, "setting.change", object_type="setting", object_id=key,
                     details={"before": current[key], "after": value})
        changed.append(key)
    return changed
