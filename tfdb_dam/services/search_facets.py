"""Facet counts of a result set: kind, status, category, tags, source unit, credit, camera, GPS, year.

Counts are of the result as filtered (each facet shows what the current result holds), over the
assets the actor may see; the long-tailed facets keep their most frequent values.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, literal_column, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetTag, Category, Tag
from tfdb_dam.services.search_filters import camera_label
from tfdb_dam.services.search_types import FacetValue

TOP_VALUES = 50
KIND_LABELS = {
    "photo": ("Ảnh", "Photo"),
    "video": ("Video", "Video"),
    "document": ("Tài liệu", "Document"),
    "audio": ("Âm thanh", "Audio"),
}
STATUS_LABELS = {
    "draft": ("Bản nháp", "Draft"),
    "submitted": ("Chờ duyệt", "Submitted"),
    "approved": ("Đã duyệt", "Approved"),
    "rejected": ("Bị từ chối", "Rejected"),
    "published": ("Đã xuất bản", "Published"),
    "archived": ("Lưu trữ", "Archived"),
}
GPS_LABELS = {"true": ("Có vị trí GPS", "With GPS"), "false": ("Không có vị trí GPS", "Without GPS")}
_YEAR = literal_column(
    "CAST(EXTRACT(YEAR FROM assets.captured_at AT TIME ZONE INTERVAL '+07:00') AS integer)"
)


def _labelled(rows, labels: dict[str, tuple[str, str]] | None = None) -> list[FacetValue]:  # noqa: ANN001
    values = []
    for value, count in rows:
        key = getattr(value, "value", value)
        key = str(key).lower() if isinstance(key, bool) else str(key)
        vi, en = (labels or {}).get(key, (key, key))
        values.append(FacetValue(key, vi, en, int(count)))
    return values


def _grouped(
    session: Session,
    column: ColumnElement,
    scope: list[ColumnElement[bool]],
    *,
    top: bool = False,
    not_null: ColumnElement[bool] | None = None,
) -> list:
    count = func.count()
    query = select(column, count).where(*scope)
    if not_null is not None:
        query = query.where(not_null)
    query = query.group_by(column).order_by(count.desc(), column)
    return session.execute(query.limit(TOP_VALUES) if top else query).all()


def _categories(session: Session, scope: list[ColumnElement[bool]]) -> list[FacetValue]:
    count = func.count()
    rows = session.execute(
        select(Category.slug, Category.label_vi, Category.label_en, count)
        .join(Asset, Asset.category_id == Category.id)
        .where(*scope)
        .group_by(Category.id)
        .order_by(count.desc(), Category.sort_order, Category.slug)
    ).all()
    return [FacetValue(slug, vi, en, int(n)) for slug, vi, en, n in rows]


def _tags(session: Session, scope: list[ColumnElement[bool]]) -> list[FacetValue]:
    count = func.count()
    rows = session.execute(
        select(Tag.name, count)
        .join(AssetTag, AssetTag.tag_id == Tag.id)
        .join(Asset, Asset.id == AssetTag.asset_id)
        .where(*scope)
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.name)
        .limit(TOP_VALUES)
    ).all()
    return [FacetValue(name, name, name, int(n)) for name, n in rows]


def facet_counts(session: Session, scope: list[ColumnElement[bool]]) -> dict[str, list[FacetValue]]:
    """Every facet of the assets selected by ``scope`` (conditions on ``assets``)."""
    located = and_(Asset.gps_lat.is_not(None), Asset.gps_lon.is_not(None))
    return {
        "kind": _labelled(_grouped(session, Asset.kind, scope), KIND_LABELS),
        "status": _labelled(_grouped(session, Asset.status, scope), STATUS_LABELS),
        "category": _categories(session, scope),
        "tags": _tags(session, scope),
        "source_unit": _labelled(
            _grouped(session, Asset.source_unit, scope, top=True, not_null=Asset.source_unit.is_not(None))
        ),
        "credit": _labelled(
            _grouped(session, Asset.credit, scope, top=True, not_null=Asset.credit.is_not(None))
        ),
        "camera": _labelled(
            _grouped(
                session,
                camera_label(),
                scope,
                top=True,
                not_null=(Asset.camera_make.is_not(None) | Asset.camera_model.is_not(None)),
            )
        ),
        "has_gps": _labelled(_grouped(session, located, scope), GPS_LABELS),
        "year": _labelled(_grouped(session, _YEAR, scope, not_null=Asset.captured_at.is_not(None))),
    }
