"""GET /api/v1/categories (the taxonomy with counts) and /api/v1/facets (counts for /assets' filters)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tfdb_dam.api.assets import Caller, Filters
from tfdb_dam.api.records import category_json
from tfdb_dam.services import catalog
from tfdb_dam.services.search_types import FacetValue

router = APIRouter(prefix="/api/v1", tags=["taxonomy"])


@router.get(
    "/categories", name="category_list", summary="The categories, with how many assets this caller may see"
)
def categories(request: Request, actor: Caller) -> dict[str, Any]:
    with request.app.state.ctx.db.begin() as session:
        rows = catalog.all_categories(session)
        counts = catalog.category_counts(session, actor)
    slugs = {c.id: c.slug for c in rows}
    return {"items": [category_json(c, counts.get(c.id, 0), slugs.get(c.parent_id)) for c in rows]}


@router.get(
    "/facets",
    name="facet_list",
    summary="Counts per kind, status, category, tag, unit, credit, camera, GPS and year for these filters",
)
def facets(request: Request, actor: Caller, filters: Filters) -> dict[str, Any]:
    with request.app.state.ctx.db.begin() as session:
        found = catalog.facet_counts(session, request.app.state.ctx, actor, filters)
    return {"facets": {name: [_facet_json(name, value) for value in values] for name, values in found.items()}}


def _facet_json(name: str, value: FacetValue) -> dict[str, Any]:
    entry: dict[str, Any] = {"value": value.value, "count": value.count}
    if name == "category" or value.label_vi != value.value or value.label_en != value.value:
        entry["label"] = {"vi": value.label_vi, "en": value.label_en}
    return entry
