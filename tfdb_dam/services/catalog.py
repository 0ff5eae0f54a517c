"""The partner catalogue: the API's asset lists and facet counts, answered by the same hybrid
search as the app (``services.search``) so partners and staff see one ranking and one set of filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Category
from tfdb_dam.errors import UsageError, ValidationError
from tfdb_dam.services import search
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.search_types import FacetValue, SearchFilters, SearchRequest, SearchResult
from tfdb_dam.services.visibility import visible_to

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class AssetFilters:
    """The API's query parameters; each list parameter may be repeated (``?kind=photo&kind=video``)."""

    q: str | None = None
    kind: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)  # slugs; a parent includes its children
    tag: list[str] = field(default_factory=list)  # every tag must be present
    source_unit: list[str] = field(default_factory=list)
    credit: list[str] = field(default_factory=list)
    camera: list[str] = field(default_factory=list)
    license: list[str] = field(default_factory=list)
    captured_from: dt.date | None = None
    captured_until: dt.date | None = None
    has_gps: bool | None = None
    sort: str = "relevance"

    def request(self, *, page: int = 1, per_page: int = 20, with_facets: bool = False) -> SearchRequest:
        filters = SearchFilters(
            kinds=list(self.kind), categories=list(self.category), tags=list(self.tag),
            source_units=list(self.source_unit), credits=list(self.credit), cameras=list(self.camera),
            licenses=list(self.license), captured_from=self.captured_from, captured_to=self.captured_until,
            has_gps=self.has_gps,
        )
        return SearchRequest(query=self.q or "", filters=filters, page=page, per_page=per_page,
                             sort=self.sort, with_facets=with_facets)


@dataclass
class AssetPage:
    items: list[Asset]
    total: int
    page: int
    per_page: int
    reasons: dict[int, list[str]] = field(default_factory=dict)
    total_exact: bool = True  # False: more than ``total`` match (browsing stops counting at a cap)

    @property
    def pages(self) -> int:
        """The pages ``total`` fills (a lower bound too when ``total`` is)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        # Past a lower bound the next page exists as long as this one is full: partners walking the
        # ``next`` links still reach every asset.
        return self.page < self.pages or (not self.total_exact and len(self.items) == self.per_page)


def find_assets(
    session: Session, ctx: Context, actor: Actor, filters: AssetFilters, *, page: int = 1, per_page: int = 20
) -> AssetPage:
    """One page of the assets ``actor`` may see, ranked by the hybrid search (newest first without words)."""
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise UsageError("api.per_page", limit=MAX_PER_PAGE)
    result = _search(session, ctx, actor, filters.request(page=page, per_page=per_page))
    ids = [hit.asset_id for hit in result.hits]
    return AssetPage(load_in_order(session, ids), result.total, page, per_page,
                     {hit.asset_id: hit.reasons for hit in result.hits}, result.total_exact)


def load_in_order(session: Session, ids: list[int]) -> list[Asset]:
    """The assets with ``ids`` in that order, with what their JSON needs loaded in one go."""
    if not ids:
        return []
    rows = session.execute(select(Asset).where(Asset.id.in_(ids))).scalars()  # tags, category: eager
    by_id = {asset.id: asset for asset in rows}
    return [by_id[i] for i in ids if i in by_id]


def facet_counts(session: Session, ctx: Context, actor: Actor, filters: AssetFilters) -> dict[str, list[FacetValue]]:
    """The search's facets (kind, status, category, tags, unit, credit, camera, GPS, year) for ``filters``."""
    return _search(session, ctx, actor, filters.request(per_page=1, with_facets=True)).facets


def _search(session: Session, ctx: Context, actor: Actor, request: SearchRequest) -> SearchResult:
    # A bad parameter is the partner's to fix: 422 like FastAPI's own parameter errors.
    try:
        return search.search(session, ctx, actor, request)
    except UsageError as error:
        raise ValidationError(error.message) from None


def category_counts(session: Session, actor: Actor) -> dict[int, int]:
    rows = session.execute(
        select(Asset.category_id, func.count())
        .where(visible_to(actor), Asset.category_id.is_not(None))
        .group_by(Asset.category_id)
    ).all()
    return {category_id: count for category_id, count in rows}


def all_categories(session: Session) -> list[Category]:
    return list(session.execute(select(Category).order_by(Category.sort_order, Category.slug)).scalars())
