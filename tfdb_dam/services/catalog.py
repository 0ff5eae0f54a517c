"""The partner catalogue: filtered, paged asset lists and facet counts over what an actor may see.

``find_assets`` is the one function the HTTP API lists through; it filters with plain SQL on the
visibility clause today and is the single place to hand over to the search service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, String, and_, cast, exists, extract, func, or_, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetKind, AssetTag, Category, Tag
from tfdb_dam.errors import ValidationError
from tfdb_dam.search.text import fold
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.visibility import visible_to

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class AssetFilters:
    q: str | None = None
    kind: str | None = None
    category: str | None = None  # slug; includes its sub-categories
    tag: str | None = None
    source_unit: str | None = None
    license: str | None = None
    captured_from: dt.date | None = None
    captured_until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind and self.kind not in AssetKind.__members__:
            raise ValidationError(f"Unknown kind {self.kind!r}; use {', '.join(AssetKind.__members__)}.")


@dataclass
class AssetPage:
    items: list[Asset]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class Facets:
    counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _folded(column) -> object:  # noqa: ANN001
    # Same rule as search.text.fold (unaccent, đ→d, lower) so "hue" finds "Huế".
    return func.lower(func.translate(func.unaccent(func.coalesce(column, "")), "Đđ", "Dd"))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def category_ids(session: Session, slug: str) -> list[int]:
    """The category with this slug and all below it; ValidationError for an unknown slug."""
    rows = session.execute(select(Category.id, Category.parent_id, Category.slug)).all()
    root = next((r.id for r in rows if r.slug == slug), None)
    if root is None:
        raise ValidationError(f"Unknown category {slug!r}; GET /api/v1/categories lists them.")
    found, frontier = {root}, {root}
    while frontier:
        frontier = {r.id for r in rows if r.parent_id in frontier} - found
        found |= frontier
    return sorted(found)


def filtered(session: Session, actor: Actor, filters: AssetFilters) -> Select:
    query = select(Asset).where(visible_to(actor))
    if filters.q and fold(filters.q):
        pattern = _like(fold(filters.q))
        query = query.where(
            or_(
                *(
                    _folded(c).like(pattern)
                    for c in (Asset.title_vi, Asset.title_en, Asset.description_vi, Asset.description_en)
                )
            )
        )
    if filters.kind:
        query = query.where(Asset.kind == AssetKind(filters.kind))
    if filters.category:
        query = query.where(Asset.category_id.in_(category_ids(session, filters.category)))
    if filters.tag:
        query = query.where(
            exists().where(
                and_(
                    AssetTag.asset_id == Asset.id,
                    AssetTag.tag_id == Tag.id,
                    Tag.name_folded == fold(filters.tag),
                )
            )
        )
    if filters.source_unit:
        query = query.where(Asset.source_unit == filters.source_unit)
    if filters.license:
        query = query.where(func.lower(Asset.license) == filters.license.lower())
    if filters.captured_from:
        query = query.where(func.date(Asset.captured_at) >= filters.captured_from)
    if filters.captured_until:
        query = query.where(func.date(Asset.captured_at) <= filters.captured_until)
    return query


def find_assets(
    session: Session, actor: Actor, filters: AssetFilters, *, page: int = 1, per_page: int = 20
) -> AssetPage:
    """One page of the assets ``actor`` may see, newest publication first."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError(f"Ask for page 1 or later, with 1 to {MAX_PER_PAGE} items per page.")
    query = filtered(session, actor, filters)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = (
        session.execute(
            query.order_by(Asset.published_at.desc().nulls_last(), Asset.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    return AssetPage(list(items), total, page, per_page)


def facet_counts(session: Session, actor: Actor, filters: AssetFilters) -> Facets:
    """How many visible assets match the filters, per kind, category, licence, unit and year."""
    matching = filtered(session, actor, filters).subquery()
    year = cast(extract("year", matching.c.captured_at), String)
    facets = Facets()
    for name, column in (
        ("kind", cast(matching.c.kind, String)),
        ("category", Category.slug),
        ("license", matching.c.license),
        ("source_unit", matching.c.source_unit),
        ("year", year),
    ):
        query = select(column, func.count()).select_from(matching)
        if name == "category":
            query = query.join(Category, Category.id == matching.c.category_id)
        rows = session.execute(
            query.where(column.is_not(None)).group_by(column).order_by(func.count().desc(), column)
        ).all()
        facets.counts[name] = [(str(value), count) for value, count in rows]
    return facets


def category_counts(session: Session, actor: Actor) -> dict[int, int]:
    rows = session.execute(
        select(Asset.category_id, func.count())
        .where(visible_to(actor), Asset.category_id.is_not(None))
        .group_by(Asset.category_id)
    ).all()
    return {category_id: count for category_id, count in rows}


def all_categories(session: Session) -> list[Category]:
    return list(session.execute(select(Category).order_by(Category.sort_order, Category.slug)).scalars())
