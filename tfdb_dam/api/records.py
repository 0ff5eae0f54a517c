"""The JSON shape of assets and categories for partners: bilingual fields, credit, licence, links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request

from tfdb_dam.db.models import Asset, Category
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.downloads import DISPLAY_RENDITIONS, ORIGINAL, credit_line, may_download_original
from tfdb_dam.services.licences import licence_for


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def bilingual(vi: str | None, en: str | None) -> dict[str, str | None]:
    return {"vi": vi, "en": en}


def category_json(
    category: Category | None, count: int | None = None, parent_slug: str | None = None
) -> dict[str, Any] | None:
    if category is None:
        return None
    data: dict[str, Any] = {"slug": category.slug, "label": bilingual(category.label_vi, category.label_en)}
    if count is not None:
        data.update(parent=parent_slug, count=count)
    return data


def rendition_links(request: Request, actor: Actor, asset: Asset) -> dict[str, dict[str, Any]]:
    """Where to fetch each rendition: small ones for display, the rest through the logged download."""
    links: dict[str, dict[str, Any]] = {}
    for rendition in sorted(asset.renditions, key=lambda r: r.name):
        if rendition.name in DISPLAY_RENDITIONS or rendition.name.startswith("keyframe"):
            url = str(request.url_for("asset_rendition", asset_id=asset.id, name=rendition.name))
        else:
            url = str(
                request.url_for("asset_download", asset_id=asset.id).include_query_params(
                    rendition=rendition.name
                )
            )
        links[rendition.name] = {
            "url": url,
            "width": rendition.width,
            "height": rendition.height,
            "at_seconds": rendition.at_seconds,
        }
    if may_download_original(actor):
        url = request.url_for("asset_download", asset_id=asset.id).include_query_params(rendition=ORIGINAL)
        links[ORIGINAL] = {
            "url": str(url),
            "width": asset.width,
            "height": asset.height,
            "size_bytes": asset.size_bytes,
            "mime_type": asset.mime_type,
        }
    return links


def asset_json(request: Request, actor: Actor, asset: Asset) -> dict[str, Any]:
    licence = licence_for(asset.license)
    # GPS is left out on purpose: border and sea-area photos must not publish their positions.
    return {
        "id": asset.id,
        "kind": asset.kind.value,
        "status": asset.status.value,
        "title": bilingual(asset.title_vi, asset.title_en),
        "description": bilingual(asset.description_vi, asset.description_en),
        "category": category_json(asset.category),
        "tags": [tag.name for tag in asset.tags],
        "source_unit": asset.source_unit,
        "credit": asset.credit,
        "credit_line": credit_line(asset),
        "licence": licence.as_dict() if licence else None,
        "usage_terms": asset.usage_terms,
        "rights_expires_on": _iso(asset.rights_expires_on),
        "captured_at": _iso(asset.captured_at),
        "published_at": _iso(asset.published_at),
        "mime_type": asset.mime_type,
        "width": asset.width,
        "height": asset.height,
        "duration_s": asset.duration_s,
        "page_count": asset.page_count,
        "renditions": rendition_links(request, actor, asset),
        "links": {
            "self": str(request.url_for("asset_detail", asset_id=asset.id)),
            "download": str(request.url_for("asset_download", asset_id=asset.id)),
        },
    }
