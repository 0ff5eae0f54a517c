"""CLIP-style models: a tiny random-weight CLIP built offline embeds texts and images alike."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tfdb_dam.embeddings import load_encoder
from tfdb_dam.embeddings.sentence import SentenceTransformerEncoder

_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "tiny_clip.py"


def _build_tiny_clip():
    spec = importlib.util.spec_from_file_location("tiny_clip", _FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_tiny_clip


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory):
    return _build_tiny_clip()(tmp_path_factory.mktemp("tiny_clip"))


@pytest.fixture(scope="module")
def clip(clip_dir):
    return load_encoder(str(clip_dir))


def _images():
    return [
        Image.new("RGB", (48, 32), (200, 30, 30)),
        Image.new("RGBA", (32, 32), (0, 0, 255, 128)),
        Image.new("L", (20, 60), 90),
    ]


def test_clip_is_detected(clip):
    assert clip.supports_images
    assert clip.dimension == 16


def test_texts_and_images_share_a_normalised_space(clip):
    texts = clip.encode_texts(["lăng vua", "a red square"])
    images = clip.encode_images(_images(), batch_size=2)
    assert texts.shape == (2, clip.dimension) and images.shape == (3, clip.dimension)
    assert texts.dtype == images.dtype == np.float32
    assert np.allclose(np.linalg.norm(texts, axis=1), 1.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(images, axis=1), 1.0, atol=1e-5)
    assert clip.encode_images([]).shape == (0, clip.dimension)


def test_random_weights_still_give_deterministic_vectors(clip, clip_dir):
    again = SentenceTransformerEncoder(str(clip_dir))  # a second, uncached load of the same folder
    assert np.allclose(clip.encode_texts(["Đại Nội"]), again.encode_texts(["Đại Nội"]), atol=1e-6)
    assert np.allclose(clip.encode_images(_images()[:1]), again.encode_images(_images()[:1]), atol=1e-6)
    assert not np.allclose(*clip.encode_texts(["Đại Nội", "cầu Trường Tiền"]))


def test_sentence_transformers_layout_is_detected_too(tmp_path):
    folder = _build_tiny_clip()(tmp_path, sentence_transformers_layout=True)
    assert (folder / "modules.json").is_file()
    encoder = SentenceTransformerEncoder(str(folder))
    assert encoder.supports_images
    assert encoder.encode_images(_images()[:1]).shape == encoder.encode_texts(["x"]).shape
