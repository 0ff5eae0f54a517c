"""GET /api/v1/assets (list), /assets/{id} (detail), /assets/{id}/download, /assets/{id}/renditions/{name}."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from tfdb_dam.api.keys import caller
from tfdb_dam.api.records import asset_json
from tfdb_dam.services import catalog, downloads
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.assets import get_asset
from tfdb_dam.services.search import BROWSE_COUNT_CAP

router = APIRouter(prefix="/api/v1", tags=["assets"])
Caller = Annotated[Actor, Depends(caller)]


def asset_filters(
    q: Annotated[
        str | None, Query(description="What you look for, in Vietnamese (accents optional) or English")
    ] = None,
    kind: Annotated[list[str], Query(description="photo, video, document or audio (repeatable)")] = [],
    category: Annotated[list[str], Query(description="Category slug, includes sub-categories (repeatable)")] = [],
    tag: Annotated[list[str], Query(description="Every tag given must be present")] = [],
    source_unit: Annotated[list[str], Query(description="Contributing agency (repeatable)")] = [],
    credit: Annotated[list[str], Query(description="Credited author (repeatable)")] = [],
    camera: Annotated[list[str], Query(description='"Make Model" (repeatable)')] = [],
    license: Annotated[list[str], Query(description="Licence code, e.g. CC-BY-4.0 (repeatable)")] = [],
    captured_from: Annotated[dt.date | None, Query(description="Capture day, Vietnam time, inclusive")] = None,
    captured_until: Annotated[dt.date | None, Query(description="Capture day, Vietnam time, inclusive")] = None,
    has_gps: bool | None = None,
    sort: Annotated[
        Literal["relevance", "newest", "oldest", "captured"],
        Query(description="relevance (newest first without q), newest, oldest or captured"),
    ] = "relevance",
) -> catalog.AssetFilters:
    return catalog.AssetFilters(
        q=q, kind=kind, category=category, tag=tag, source_unit=source_unit, credit=credit, camera=camera,
        license=license, captured_from=captured_from, captured_until=captured_until, has_gps=has_gps, sort=sort,
    )


Filters = Annotated[catalog.AssetFilters, Depends(asset_filters)]


@router.get(
    "/assets",
    name="asset_list",
    summary="Search the assets this caller may see, page by page",
    description=(
        "Answers `items` (each with its `match_reasons`), `page`, `per_page`, `total`, "
        "`total_relation`, `pages` and `links` (`self`, `next`, `prev`). `total_relation` is `eq` "
        "when `total` is exact and `gte` when more assets match: without `q` counting stops at "
        f"{BROWSE_COUNT_CAP:,} (as Elasticsearch's `track_total_hits`); `pages` is then a lower "
        "bound too, and `links.next` goes on while pages are full."
    ),
)
def list_assets(
    request: Request,
    actor: Caller,
    filters: Filters,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=catalog.MAX_PER_PAGE)] = 20,
) -> dict[str, Any]:
    with request.app.state.ctx.db.begin() as session:
        found = catalog.find_assets(session, request.app.state.ctx, actor, filters, page=page, per_page=per_page)
        items = [
            {**asset_json(request, actor, asset), "match_reasons": found.reasons.get(asset.id, [])}
            for asset in found.items
        ]
    links = {"self": str(request.url)}
    if found.has_next:
        links["next"] = str(request.url.include_query_params(page=page + 1))
    if page > 1:
        links["prev"] = str(request.url.include_query_params(page=page - 1))
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": found.total,
        "total_relation": "eq" if found.total_exact else "gte",
        "pages": found.pages,
        "links": links,
    }


@router.get("/assets/{asset_id}", name="asset_detail", summary="One asset (404 when it is not visible)")
def asset_detail(request: Request, actor: Caller, asset_id: int) -> dict[str, Any]:
    with request.app.state.ctx.db.begin() as session:
        return asset_json(request, actor, get_asset(session, actor, asset_id))


def _file_response(found: downloads.DownloadFile) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{found.filename}"; '
        f"filename*=UTF-8''{quote(found.filename)}",
        "Cache-Control": "private, no-store",
    }
    if found.credit_line:
        # HTTP headers are Latin-1; the credit line travels percent-encoded UTF-8.
        headers["X-Credit-Line"] = quote(found.credit_line)
    if found.data is not None:
        return Response(found.data, media_type=found.mime, headers=headers)
    headers["Content-Length"] = str(found.size)
    return StreamingResponse(found.chunks(), media_type=found.mime, headers=headers)


@router.get(
    "/assets/{asset_id}/download",
    name="asset_download",
    summary="Download with credit and licence embedded (logged); the preview unless ?rendition= says",
)
def asset_download(
    request: Request,
    actor: Caller,
    asset_id: int,
    rendition: Annotated[str | None, Query(description="preview (default), poster, thumb, original…")] = None,
    purpose: Annotated[str, Query(description="press, print, web, tv or other")] = "other",
) -> Response:
    found = downloads.download_asset(
        request.app.state.ctx, actor, asset_id, purpose=purpose, rendition=rendition
    )
    return _file_response(found)


@router.get(
    "/assets/{asset_id}/renditions/{name}",
    name="asset_rendition",
    summary="A thumbnail or video keyframe for display (not logged as a download)",
)
def asset_rendition(request: Request, actor: Caller, asset_id: int, name: str) -> Response:
    found = downloads.display_rendition(request.app.state.ctx, actor, asset_id, name)
    response = _file_response(found)
    response.headers["Content-Disposition"] = f'inline; filename="{found.filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
