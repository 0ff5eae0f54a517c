"""Keeping assets findable: the text each asset is embedded from, and its vectors.

The search team extends this module (full-text columns, image vectors for CLIP models); ingest
and metadata edits call ``index_assets`` after they change what an asset says.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Embedding
from tfdb_dam.services.context import Context


def embedding_text(asset: Asset) -> str:
    """Both languages' titles and descriptions, tags and category labels, in one passage."""
    parts = [asset.title_vi, asset.title_en, asset.description_vi, asset.description_en]
    parts += [tag.name for tag in asset.tags]
    if asset.category is not None:
        parts += [asset.category.label_vi, asset.category.label_en]
    parts += [asset.source_unit, (asset.extracted_text or "")[:2000]]
    text = ". ".join(p.strip() for p in parts if p and p.strip())
    return text or (asset.original_filename or "")


def index_assets(session: Session, ctx: Context, asset_ids: Sequence[int]) -> None:
    """(Re)compute the text vectors of these assets with the configured model, in one batch."""
    if not asset_ids:
        return
    assets = session.execute(select(Asset).where(Asset.id.in_(asset_ids))).scalars().all()
    encoder = ctx.encoder()
    vectors = encoder.encode_texts([embedding_text(a) for a in assets])
    session.execute(delete(Embedding).where(Embedding.asset_id.in_(asset_ids), Embedding.source == "text"))
    session.add_all(
        Embedding(asset_id=a.id, source="text", model=encoder.model_name, dimension=encoder.dimension,
                  vector=vec.tolist())
        for a, vec in zip(assets, vectors)
    )
    session.flush()
