"""Asset vectors: the text each asset is embedded from, pixels of photos and video frames for CLIP
models, and the HNSW index per vector dimension."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from tfdb_dam.db.engine import Database
from tfdb_dam.db.models import Asset, AssetKind, Embedding
from tfdb_dam.errors import RejectedFile
from tfdb_dam.services.context import Context

log = logging.getLogger(__name__)

TEXT_SOURCE = "text"
IMAGE_SOURCE = "image"  # a photo's pixels; a video's frames are "image:<rendition name>"
# The HNSW index holds half-precision copies (pgvector's halfvec): half the memory and a slightly
# faster build than `vector`, the same recall (bench/results/search-bench-*.md), and up to 4000
# dimensions instead of 2000. The rows keep full precision for exact scans and "more like this".
MAX_HNSW_DIMENSION = 4000  # beyond, exact search
# How the graph is built. A search's cost grows with its beam (hnsw.ef_search, db/engine.py) and
# a better-built graph needs a narrower beam for the same recall: at a million assets,
# ef_construction 128 reaches recall@10 0.963 with a beam of 96 where pgvector's default (64)
# needs 128, and the walk takes 6.6 ms instead of 8.7 (median). The build takes twice as long
# (22 minutes at a million on two cores; migration 0011 rebuilds older indexes).
HNSW_OPTIONS = {"m": 16, "ef_construction": 128}
_PHOTO_RENDITIONS = ("preview", "thumb")
_EMBED_IMAGE_SIDE = 512  # CLIP looks at 224 px or so; no need to keep more pixels in memory


def embedding_text(asset: Asset) -> str:
    """Titles, descriptions, tags, category labels, source unit and the start of the document text.

    English comes first within each pair: an English-only model reads it best and truncates the
    passage at its sequence length, and a multilingual model does not mind the order.
    """
    parts = [asset.title_en, asset.title_vi, asset.description_en, asset.description_vi]
    parts += [tag.name for tag in asset.tags]
    if asset.category is not None:
        parts += [asset.category.label_en, asset.category.label_vi]
    parts += [asset.source_unit, (asset.extracted_text or "")[:2000]]
    passage = ". ".join(p.strip() for p in parts if p and p.strip())
    return passage or (asset.original_filename or "")


def embed_assets(
    session: Session, ctx: Context, asset_ids: Sequence[int], *, keep_other_models: bool = False
) -> int:
    """(Re)compute the vectors of these assets with the configured encoder; returns vectors written.

    Text for every asset; for a CLIP-style model also the pixels of photos and of video posters and
    keyframes. Vectors of other models are dropped for these assets unless ``keep_other_models``
    (``tfdb reindex --model`` preparing a switch while search still uses the old model).
    """
    ids = sorted(set(asset_ids))
    if not ids:
        return 0
    encoder = ctx.encoder()
    session.flush()
    assets = session.execute(select(Asset).where(Asset.id.in_(ids)).order_by(Asset.id)).scalars().all()
    rows = _text_rows(encoder, assets)
    if encoder.supports_images:
        rows += _image_rows(ctx, encoder, assets)
    stale = delete(Embedding).where(Embedding.asset_id.in_([a.id for a in assets]))
    if keep_other_models:
        stale = stale.where(Embedding.model == encoder.model_name)
    session.execute(stale)
    session.add_all(rows)
    session.flush()
    return len(rows)


def _row(encoder, asset_id: int, source: str, vector) -> Embedding:  # noqa: ANN001
    return Embedding(
        asset_id=asset_id,
        source=source,
        model=encoder.model_name,
        dimension=encoder.dimension,
        vector=vector.tolist(),
    )


def _text_rows(encoder, assets: Sequence[Asset]) -> list[Embedding]:  # noqa: ANN001
    vectors = encoder.encode_texts([embedding_text(a) for a in assets])
    return [_row(encoder, a.id, TEXT_SOURCE, v) for a, v in zip(assets, vectors)]


def _image_rows(ctx: Context, encoder, assets: Sequence[Asset]) -> list[Embedding]:  # noqa: ANN001
    sources, images = [], []
    for asset in assets:
        for source, path in _image_files(ctx, asset):
            image = _load_image(path, ctx.config.tfdb_max_image_pixels)
            if image is not None:
                sources.append((asset.id, source))
                images.append(image)
    if not images:
        return []
    vectors = encoder.encode_images(images)
    return [_row(encoder, asset_id, source, v) for (asset_id, source), v in zip(sources, vectors)]


def _image_files(ctx: Context, asset: Asset) -> list[tuple[str, Path]]:
    """What to look at: a photo's preview (or its original), a video's poster and keyframes."""
    names = {r.name for r in asset.renditions}
    if asset.kind is AssetKind.photo:
        for name in _PHOTO_RENDITIONS:
            if name in names:
                return [(IMAGE_SOURCE, ctx.store.rendition_path(asset.sha256, name))]
        return [(IMAGE_SOURCE, ctx.store.original_path(asset.sha256, asset.ext))]
    if asset.kind is AssetKind.video:
        frames = sorted(n for n in names if n == "poster" or n.startswith("keyframe"))
        return [(f"{IMAGE_SOURCE}:{n}"[:20], ctx.store.rendition_path(asset.sha256, n)) for n in frames]
    return []


def _load_image(path: Path, max_pixels: int):  # noqa: ANN202 - a PIL image or None
    from tfdb_dam.media.imaging import DECODE_ERRORS, open_image

    try:
        with path.open("rb") as fh:
            image = open_image(fh, max_pixels=max_pixels)
            image.draft("RGB", (_EMBED_IMAGE_SIDE, _EMBED_IMAGE_SIDE))
            image = image.convert("RGB")
            image.thumbnail((_EMBED_IMAGE_SIDE, _EMBED_IMAGE_SIDE))
            return image
    except (RejectedFile, FileNotFoundError, *DECODE_ERRORS) as exc:
        # An unreadable picture loses only its image vector; its text is still embedded.
        log.warning("Not embedding the pixels of %s: %s", path.name, exc)
        return None


def hnsw_index_name(dimension: int) -> str:
    return f"sx_embeddings_halfvec_{int(dimension)}"


def hnsw_index_sql(dimension: int, *, concurrently: bool = False) -> str:
    """The partial HNSW index of one dimension; search_vector's query is written to match it."""
    dimension = int(dimension)
    return (
        f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}IF NOT EXISTS {hnsw_index_name(dimension)} "
        f"ON embeddings USING hnsw ((vector::halfvec({dimension})) halfvec_cosine_ops) "
        f"WITH ({hnsw_options()}) WHERE dimension = {dimension}"
    )


def hnsw_options() -> str:
    return ", ".join(f"{name} = {int(value)}" for name, value in HNSW_OPTIONS.items())


def has_vector_index(session: Session, dimension: int) -> bool:
    found = session.execute(
        text("SELECT 1 FROM pg_indexes WHERE tablename = 'embeddings' AND indexname = :n"),
        {"n": hnsw_index_name(dimension)},
    ).first()
    return found is not None


def ensure_vector_index(db: Database, dimension: int) -> bool:
    """Create the HNSW index for vectors of ``dimension`` if missing (without blocking writers).

    Returns False when pgvector cannot index that many dimensions; search then scans exactly.
    Must not run inside another open transaction on ``embeddings``: the build waits for them.
    """
    dimension = int(dimension)
    if not 0 < dimension <= MAX_HNSW_DIMENSION:
        return False
    name = hnsw_index_name(dimension)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        # A concurrent build that was interrupted leaves an invalid index behind: build it again.
        invalid = conn.execute(
            text("SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = :n"),
            {"n": name},
        ).scalar()
        if invalid:
            conn.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {name}"))
        conn.execute(text(hnsw_index_sql(dimension, concurrently=True)))
    return True
