""" "More like this": assets near one asset by meaning (its text vector), by look (its pixels, for
CLIP models) and by shared tags, among what the searcher may see."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, AssetTag, Tag
from tfdb_dam.search.fusion import fuse
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.assets import get_asset
from tfdb_dam.services.context import Context
from tfdb_dam.services.indexing_vectors import IMAGE_SOURCE, TEXT_SOURCE, embedding_text
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_reasons import build_hits
from tfdb_dam.services.search_types import SearchFilters, SearchHit
from tfdb_dam.services.search_vector import asset_vector, nearest

SIMILAR_WEIGHTS = {"vector": 1.0, "image": 0.8, "tags": 0.6}
_CANDIDATES = 50


def _shared_tags(session: Session, asset: Asset, conditions: list) -> list[tuple[int, float]]:  # noqa: ANN001
    tag_ids = [tag.id for tag in asset.tags]
    if not tag_ids:
        return []
    shared = func.count()
    rows = session.execute(
        select(AssetTag.asset_id, shared)
        .join(Asset, Asset.id == AssetTag.asset_id)
        .where(AssetTag.tag_id.in_(tag_ids), *conditions)
        .group_by(AssetTag.asset_id)
        .order_by(shared.desc(), AssetTag.asset_id)
        .limit(_CANDIDATES)
    ).all()
    return [(asset_id, float(count)) for asset_id, count in rows]


def _tag_reasons(session: Session, asset: Asset, ids: list[int], lang: str) -> dict[int, list[str]]:
    mine = {tag.id for tag in asset.tags}
    rows = session.execute(
        select(AssetTag.asset_id, Tag.name)
        .join(Tag, Tag.id == AssetTag.tag_id)
        .where(AssetTag.asset_id.in_(ids), AssetTag.tag_id.in_(mine))
        .order_by(Tag.name)
    ).all()
    names: dict[int, list[str]] = {}
    for asset_id, name in rows:
        names.setdefault(asset_id, []).append(name)
    label = "cùng từ khóa" if lang == "vi" else "shares tags"
    return {asset_id: [f"{label}: {', '.join(tags)}"] for asset_id, tags in names.items()}


def _image_vector(session: Session, asset_id: int, model: str) -> list[float] | None:
    return asset_vector(session, asset_id, model, IMAGE_SOURCE) or asset_vector(
        session, asset_id, model, f"{IMAGE_SOURCE}:poster"
    )


def more_like_this(
    session: Session, ctx: Context, actor: Actor, asset_id: int, limit: int = 12
) -> list[SearchHit]:
    """Up to ``limit`` assets most like ``asset_id`` (NotFound if the actor may not see it)."""
    asset = get_asset(session, actor, asset_id)
    conditions = [*filter_conditions(session, actor, SearchFilters()), Asset.id != asset.id]
    encoder = ctx.encoder()
    model = encoder.model_name
    vector = asset_vector(session, asset.id, model, TEXT_SOURCE)
    if vector is None:  # not embedded yet (its job is still queued): embed its text now
        vector = encoder.encode_texts([embedding_text(asset)])[0].tolist()
    legs = {
        "vector": [
            (h.asset_id, h.similarity)
            for h in nearest(session, encoder.dimension, model, TEXT_SOURCE, vector, conditions, _CANDIDATES)
        ]
    }
    image = _image_vector(session, asset.id, model) if encoder.supports_images else None
    if image is not None:
        legs["image"] = [
            (h.asset_id, h.similarity)
            for h in nearest(session, encoder.dimension, model, IMAGE_SOURCE, image, conditions, _CANDIDATES)
        ]
    legs["tags"] = _shared_tags(session, asset, conditions)
    fused = fuse(legs, SIMILAR_WEIGHTS, limit=limit, explain=False)  # reasons come from build_hits
    ids = [hit.asset_id for hit in fused]
    similarities = {leg: dict(hits) for leg, hits in legs.items() if leg != "tags"}
    per_asset = {i: {leg: sims[i] for leg, sims in similarities.items() if i in sims} for i in ids}
    lang = ctx.config.tfdb_language
    return build_hits(
        session,
        ids,
        {h.asset_id: h.score for h in fused},
        (),
        per_asset,
        lang=lang,
        extra=_tag_reasons(session, asset, ids, lang),
    )
