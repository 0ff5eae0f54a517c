"""The CLIP path with a tiny local model: photos and video frames embedded by their pixels, and a
text query finding a picture through the image leg (no word of the query is in any record)."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from tests.integration.search.records import make_asset
from tfdb_dam.db.models import Embedding, Rendition
from tfdb_dam.embeddings import load_encoder
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.indexing import index_assets
from tfdb_dam.services.search import analyze, more_like_this, search
from tfdb_dam.services.search_types import SearchRequest

_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "tiny_clip.py"
QUERY = "zebra quartz vortex"  # in no record, no thesaurus entry


@pytest.fixture(scope="module")
def clip(tmp_path_factory):  # noqa: ANN001, ANN201
    spec = importlib.util.spec_from_file_location("tiny_clip", _FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # pytest's own temporary directory: it prunes old runs' copies, where mkdtemp left one per run.
    directory = module.build_tiny_clip(tmp_path_factory.mktemp("tiny-clip"))
    return load_encoder(str(directory))


def _jpeg(color: tuple[int, int, int], stripes: int) -> bytes:
    image = Image.new("RGB", (64, 48), color)
    draw = ImageDraw.Draw(image)
    for i in range(stripes):
        draw.rectangle((i * 8, 0, i * 8 + 3, 47), fill=(255 - color[0], 255 - color[1], 255 - color[2]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _with_rendition(ctx, session, asset, name: str, data: bytes) -> None:  # noqa: ANN001
    ctx.store.write_rendition(asset.sha256, name, data)
    asset.renditions.append(Rendition(name=name, width=64, height=48, size_bytes=len(data)))


@pytest.fixture
def clip_library(ctx, clip):  # noqa: ANN001, ANN201
    ctx._encoder = clip
    ctx.config = ctx.config.replace(tfdb_embedding_model=clip.model_name)
    with ctx.db.begin() as session:
        photos = {}
        for key, color, stripes in (
            ("red", (200, 30, 30), 0),
            ("green", (30, 180, 60), 3),
            ("blue", (20, 40, 220), 6),
        ):
            asset = make_asset(session, key, title_vi=f"Ảnh số {key}")
            _with_rendition(ctx, session, asset, "preview", _jpeg(color, stripes))
            photos[key] = asset.id
        video = make_asset(session, "video", kind="video", title_vi="Đoạn phim")
        for index, color in enumerate(((250, 250, 0), (0, 250, 250)), start=1):
            _with_rendition(ctx, session, video, f"keyframe-{index:02d}", _jpeg(color, index))
        _with_rendition(ctx, session, video, "poster", _jpeg((90, 90, 90), 2))
        session.flush()
        index_assets(session, ctx, [*photos.values(), video.id], embed_now=True)
    with ctx.db.begin() as session:
        analyze(session)
    return {**photos, "video": video.id}


def test_pixels_are_embedded_per_photo_and_per_frame(ctx, clip, clip_library):  # noqa: ANN001
    with ctx.db.begin() as session:
        rows = session.execute(
            select(Embedding.asset_id, Embedding.source, Embedding.dimension, Embedding.model)
        ).all()
    sources = {(asset_id, source) for asset_id, source, _, _ in rows}
    for key in ("red", "green", "blue"):
        assert (clip_library[key], "image") in sources and (clip_library[key], "text") in sources
    video = {source for asset_id, source in sources if asset_id == clip_library["video"]}
    assert video == {"text", "image:keyframe-01", "image:keyframe-02", "image:poster"}
    assert {(dim, model) for _, _, dim, model in rows} == {(16, clip.model_name)}


def test_text_query_finds_a_picture_through_the_image_leg(ctx, clip, clip_library):  # noqa: ANN001
    query = clip.encode_texts([QUERY])[0]
    with ctx.db.begin() as session:
        stored = session.execute(
            select(Embedding.asset_id, Embedding.vector).where(Embedding.source.like("image%"))
        ).all()
        result = search(session, ctx, SYSTEM, SearchRequest(query=QUERY, language="en", with_facets=False))
    best_asset = max(stored, key=lambda row: float(np.dot(query, np.asarray(row.vector))))[0]
    hits = {hit.asset_id: hit for hit in result.hits}
    assert best_asset in hits
    assert any(reason.startswith("image similarity") for reason in hits[best_asset].reasons)
    assert not any("matches" in reason for hit in result.hits for reason in hit.reasons)


def test_more_like_this_uses_pixels(ctx, clip, clip_library):  # noqa: ANN001
    ctx.config = ctx.config.replace(tfdb_language="en")
    with ctx.db.begin() as session:
        similar = more_like_this(session, ctx, SYSTEM, clip_library["red"], limit=5)
    assert clip_library["red"] not in {hit.asset_id for hit in similar}
    assert any(reason.startswith("image similarity") for hit in similar for reason in hit.reasons)
