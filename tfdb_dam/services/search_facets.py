"""Facet counts of a result set: kind, status, category, tags, source unit, credit, camera, GPS, year.

Counts are of the result as filtered (each facet shows what the current result holds), over the
assets the actor may see; the long-tailed facets keep their most frequent values. All but the
tags are counted in one pass (GROUPING SETS); slow counts are reused for a minute (see below).
"""

from __future__ import annotations

import time

from sqlalchemy import ColumnElement, and_, func, literal_column, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetTag, Category, Tag
from tfdb_dam.services.recent import Recent
from tfdb_dam.services.search_filters import among
from tfdb_dam.services.search_types import FACET_KEYS, FacetValue

TOP_VALUES = 50
# Counting the facets of a whole large library reads every record: seconds at a million assets
# (browsing with no words, bench/results/search-bench-1000000.md). Facets that took longer than
# SLOW_FACETS_S are shown again for the same scope for FACETS_TTL_S, so on such a library the
# counts may lag up to a minute behind the latest changes; hits and totals never do, and facets
# that are quick to count (any search with words, any small library) are always counted afresh.
# At 0.25 s the public gallery of 100 000 assets (~200 ms of counts) was counted on every page
# view, each 220 ms, where a million assets' (slower) were shown from memory in 34: the counts
# should not cost a page view more than its other work, which takes tens of milliseconds.
SLOW_FACETS_S, FACETS_TTL_S = 0.1, 60.0
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
# Written as SQL without parameters: GROUP BY and GROUPING() must repeat the very same expression.
_YEAR = literal_column(
    "CAST(EXTRACT(YEAR FROM assets.captured_at AT TIME ZONE INTERVAL '+07:00') AS integer)"
)
# As search_filters.camera_label(), which the camera filter compares.
_CAMERA = literal_column("NULLIF(concat_ws(' ', assets.camera_make, assets.camera_model), '')")


# The facets counted in one pass over the result (GROUPING SETS): name -> expression. Tags need
# a join and are counted apart; categories are counted by id and named afterwards.
def _grouped_columns() -> dict[str, ColumnElement]:
    return {
        "kind": Asset.kind,
        "status": Asset.status,
        "category": Asset.category_id,
        "source_unit": Asset.source_unit,
        "credit": Asset.credit,
        "camera": _CAMERA,
        "has_gps": and_(Asset.gps_lat.is_not(None), Asset.gps_lon.is_not(None)),
        "year": _YEAR,
    }


_TOP = {"source_unit", "credit", "camera"}  # long-tailed: keep the most frequent values
_NOT_NULL = {"category", "source_unit", "credit", "camera", "year"}  # no "unknown" entry
_LABELS = {"kind": KIND_LABELS, "status": STATUS_LABELS, "has_gps": GPS_LABELS}


def _key(value) -> str:  # noqa: ANN001
    value = getattr(value, "value", value)  # enums
    return str(value).lower() if isinstance(value, bool) else str(value)


def _counted(session: Session, scope: list[ColumnElement[bool]]) -> dict[str, list[tuple[object, int]]]:
    columns = _grouped_columns()
    names = list(columns)
    query = (
        select(
            func.grouping(*columns.values()).label("which"),
            func.count().label("n"),
            *[column.label(name) for name, column in columns.items()],
        )
        .where(*scope)
        .group_by(func.grouping_sets(*columns.values()))
    )
    counted: dict[str, list[tuple[object, int]]] = {name: [] for name in names}
    every = (1 << len(names)) - 1
    for row in session.execute(query):
        # grouping(c0 … cn-1) sets bit n-1-i for each column ci the row is NOT grouped by.
        name = names[len(names) - (every ^ row.which).bit_length()]
        value = getattr(row, name)
        if value is not None or name not in _NOT_NULL:
            counted[name].append((value, int(row.n)))
    return counted


def _ranked(name: str, pairs: list[tuple[object, int]]) -> list[FacetValue]:
    pairs = sorted(pairs, key=lambda pair: (-pair[1], _key(pair[0])))
    if name in _TOP:
        pairs = pairs[:TOP_VALUES]
    labels = _LABELS.get(name, {})
    values = []
    for value, count in pairs:
        key = _key(value)
        vi, en = labels.get(key, (key, key))
        values.append(FacetValue(key, vi, en, count))
    return values


def _categories(session: Session, counts: list[tuple[object, int]]) -> list[FacetValue]:
    found = dict(counts)
    if not found:
        return []
    rows = session.execute(
        select(Category.id, Category.slug, Category.label_vi, Category.label_en, Category.sort_order).where(
            Category.id.in_(list(found))
        )
    ).all()
    rows = sorted(rows, key=lambda r: (-found[r.id], r.sort_order, r.slug))
    return [FacetValue(r.slug, r.label_vi, r.label_en, found[r.id]) for r in rows]


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


def _json_rows(table) -> ColumnElement:  # noqa: ANN001 - a subquery
    """The subquery's rows as one JSON array (of objects keyed by column name)."""
    rows = func.coalesce(func.json_agg(literal_column(table.name)), literal_column("'[]'::json"))
    return select(rows).select_from(table).scalar_subquery()


def _counted_in_one_go(
    session: Session, ids: list[int]
) -> tuple[dict[str, list[tuple[object, int]]], list[dict], list[dict]]:
    """The grouped counts, the top tags and the categories' names of the assets ``ids``, in one
    statement: the result is read once (a CTE), and one round trip replaces four."""
    columns = _grouped_columns()
    result = select(Asset.id, *[column.label(name) for name, column in columns.items()]).where(
        among(ids, "facet_ids")
    ).cte("result")
    grouped_by = [result.c[name] for name in columns]
    grouped = (
        select(func.grouping(*grouped_by).label("which"), func.count().label("n"), *grouped_by)
        .group_by(func.grouping_sets(*grouped_by))
        .subquery("grouped")
    )
    count = func.count()
    tags = (
        select(Tag.name, count.label("n"))
        .select_from(result)
        .join(AssetTag, AssetTag.asset_id == result.c.id)
        .join(Tag, Tag.id == AssetTag.tag_id)
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.name)
        .limit(TOP_VALUES)
        .subquery("top_tags")
    )
    named = (
        select(Category.id, Category.slug, Category.label_vi, Category.label_en, Category.sort_order)
        .where(Category.id.in_(select(result.c.category).scalar_subquery()))
        .subquery("named")
    )
    row = session.execute(select(_json_rows(grouped), _json_rows(tags), _json_rows(named))).one()
    counted: dict[str, list[tuple[object, int]]] = {name: [] for name in columns}
    names, every = list(columns), (1 << len(columns)) - 1
    for entry in row[0]:
        name = names[len(names) - (every ^ entry["which"]).bit_length()]
        if entry[name] is not None or name not in _NOT_NULL:
            counted[name].append((entry[name], int(entry["n"])))
    return counted, row[1], row[2]


def facets_of(session: Session, ids: list[int]) -> dict[str, list[FacetValue]]:
    """Every facet of the assets ``ids`` (a search's result: at most about a thousand, so always
    counted afresh)."""
    if not ids:
        return {key: [] for key in FACET_KEYS}
    counted, tags, named = _counted_in_one_go(session, ids)
    facets = {name: _ranked(name, pairs) for name, pairs in counted.items() if name != "category"}
    found = dict(counted["category"])
    named = sorted(named, key=lambda c: (-found[c["id"]], c["sort_order"], c["slug"]))
    facets["category"] = [FacetValue(c["slug"], c["label_vi"], c["label_en"], found[c["id"]]) for c in named]
    facets["tags"] = [FacetValue(t["name"], t["name"], t["name"], int(t["n"])) for t in tags]
    return {key: facets[key] for key in FACET_KEYS}


# Facets that took long to count, by database and scope, with when they were counted (see
# SLOW_FACETS_S and FACETS_TTL_S).
slow_facets: Recent[tuple[float, dict[str, list[FacetValue]]]] = Recent(64)


def _scope_key(session: Session, scope: list[ColumnElement[bool]]) -> tuple[str, str]:
    sql = select(Asset.id).where(*scope).compile(dialect=session.get_bind().dialect)
    return str(session.get_bind().url), f"{sql} {sorted(sql.params.items(), key=lambda item: item[0])!r}"


def facet_counts(session: Session, scope: list[ColumnElement[bool]]) -> dict[str, list[FacetValue]]:
    """Every facet of the assets selected by ``scope`` (conditions on ``assets``)."""
    key = _scope_key(session, scope)
    kept = slow_facets.get(key)
    if kept is not None and time.monotonic() - kept[0] <= FACETS_TTL_S:
        return kept[1]
    began = time.monotonic()
    counted = _counted(session, scope)
    facets = {name: _ranked(name, pairs) for name, pairs in counted.items() if name != "category"}
    facets["category"] = _categories(session, counted["category"])
    facets["tags"] = _tags(session, scope)
    facets = {key: facets[key] for key in FACET_KEYS}
    if time.monotonic() - began > SLOW_FACETS_S:
        slow_facets.put(key, (time.monotonic(), facets))
    return facets
