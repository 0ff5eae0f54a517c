"""The default text encoder (all-MiniLM-L6-v2, shipped offline), lazy imports and load errors."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from tfdb_dam.embeddings import DEFAULT_MODEL, Encoder, ImagesNotSupported, l2_normalize, load_encoder
from tfdb_dam.errors import ConfigError


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(DEFAULT_MODEL, threads=1)


def test_importing_the_package_does_not_import_torch():
    code = (
        "import sys, tfdb_dam.embeddings, tfdb_dam.search.baselines; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_loading_the_model_draws_no_progress_bar_on_stderr():
    code = "from tfdb_dam.embeddings import load_encoder; load_encoder().encode_texts(['Huế'])"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "Loading weights" not in result.stderr and "it/s" not in result.stderr, result.stderr


def test_default_model_shape_and_norm(encoder):
    assert isinstance(encoder, Encoder)
    assert encoder.model_name == DEFAULT_MODEL
    assert encoder.dimension == 384 and not encoder.supports_images
    vectors = encoder.encode_texts(["lăng vua Gia Long", "Perfume River at night"], batch_size=2)
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode_texts([]).shape == (0, 384)


def test_default_model_knows_meaning(encoder):
    tomb, mausoleum, boat = encoder.encode_texts(["tomb of the emperor", "mausoleum of a king", "fishing boat"])
    assert tomb @ mausoleum > tomb @ boat


def test_same_text_same_vector(encoder):
    first = encoder.encode_texts(["Hue Imperial City"])
    again = encoder.encode_texts(["Hue Imperial City", "other"])[:1]
    assert np.allclose(first, again, atol=1e-5)


def test_text_model_refuses_images(encoder):
    with pytest.raises(ImagesNotSupported, match="embeds text only"):
        encoder.encode_images([])


def test_load_encoder_caches_per_name(encoder):
    assert load_encoder(DEFAULT_MODEL) is encoder
    assert load_encoder(None) is encoder


@pytest.mark.parametrize("name", ["/nonexistent/model-folder", "no-such-org/no-such-model"])
def test_missing_model_is_a_config_error(name):
    with pytest.raises(ConfigError, match="cannot be loaded offline") as info:
        load_encoder(name)
    assert "TFDB_EMBEDDING_MODEL" in str(info.value)


def test_model_path_that_is_a_file_is_a_config_error(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"")
    with pytest.raises(ConfigError, match="is a file"):
        load_encoder(str(path))


def test_threads_must_be_positive():
    from tfdb_dam.embeddings.sentence import SentenceTransformerEncoder

    with pytest.raises(ConfigError):
        SentenceTransformerEncoder(DEFAULT_MODEL, threads=0)


def test_l2_normalize_keeps_zero_rows():
    result = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert result.dtype == np.float32
    assert np.allclose(result, [[0.6, 0.8], [0.0, 0.0]])
