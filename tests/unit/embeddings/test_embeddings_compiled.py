"""The compiled one-text paths (search queries), ONNX Runtime first and the TorchScript trace after it:
the same vectors as the eager model, or not used at all."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from tfdb_dam.embeddings import DEFAULT_MODEL, load_encoder, onnx_text, traced
from tfdb_dam.embeddings.sentence import resolve_model

TEXTS = [
    "chùa Thiên Mụ",
    unicodedata.normalize("NFD", "Lăng vua Tự Đức, Huế"),
    "",
    "Perfume River at night",
    "Đại Nội " * 400,  # past the model's 256 tokens: truncated alike on both paths
]


@pytest.fixture(scope="module")
def model():
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model(DEFAULT_MODEL), device="cpu", local_files_only=True)


def _eager(model, text: str) -> np.ndarray:
    return model.encode([text], convert_to_numpy=True, show_progress_bar=False)


def test_traced_path_gives_the_eager_vectors(model):
    path = traced.trace_text_path(model)
    assert path is not None
    for text in TEXTS:
        assert np.abs(path(text) - _eager(model, text)).max() < 1e-5, text


def test_onnx_path_gives_the_eager_vectors(model):
    path = onnx_text.onnx_text_path(model, threads=1)
    assert path is not None
    for text in TEXTS:
        assert np.abs(path(text) - _eager(model, text)).max() < 1e-5, text


def test_query_encoding_takes_the_compiled_path_and_matches_a_batch():
    encoder = load_encoder(DEFAULT_MODEL)
    for text in TEXTS:
        one = encoder.encode_texts([text])  # one text: the compiled path
        batch = encoder.encode_texts([text, "một văn bản khác"])[:1]  # a padded batch: the eager path
        assert one.shape == (1, 384) and one.dtype == np.float32
        assert np.allclose(np.linalg.norm(one), 1.0, atol=1e-5)
        assert np.allclose(one, batch, atol=1e-5), text


def test_a_model_with_a_prompt_keeps_the_eager_path(model, monkeypatch):
    # A default prompt is prepended by encode(); the compiled paths would embed the bare text.
    monkeypatch.setattr(model, "prompts", {"query": "query: "})
    monkeypatch.setattr(model, "default_prompt_name", "query")
    assert traced.trace_text_path(model) is None
    assert onnx_text.onnx_text_path(model, threads=1) is None


def test_a_compiled_path_that_disagrees_is_not_used(model, monkeypatch):
    monkeypatch.setattr(traced, "_TOLERANCE", -1.0)  # no compiled model can be that close
    assert traced.trace_text_path(model) is None
    assert onnx_text.onnx_text_path(model, threads=1) is None


def test_without_onnx_runtime_queries_take_the_trace(monkeypatch):
    # onnxruntime has no wheel for some platforms; a deployment without it still searches.
    from tfdb_dam.embeddings.sentence import SentenceTransformerEncoder

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime raises ImportError
    encoder = SentenceTransformerEncoder(DEFAULT_MODEL)
    eager = encoder.encode_texts(["chùa Thiên Mụ"])
    compiled = encoder.encode_texts(["chùa Thiên Mụ"])
    assert isinstance(encoder._one_text, traced.TracedTextPath)
    assert np.allclose(eager, compiled, atol=1e-5)


def test_clip_models_keep_the_eager_path(tmp_path):
    import importlib.util
    from pathlib import Path

    from sentence_transformers import SentenceTransformer

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "tiny_clip.py"
    spec = importlib.util.spec_from_file_location("tiny_clip", fixture)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    clip = SentenceTransformer(str(module.build_tiny_clip(tmp_path / "clip")), device="cpu")
    assert traced.trace_text_path(clip) is None
    assert onnx_text.onnx_text_path(clip, threads=1) is None


def test_embedding_queries_prints_nothing():
    # The second query compiles the model: the exporter and ONNX Runtime must keep quiet too.
    code = "from tfdb_dam.embeddings import load_encoder; e = load_encoder(); e.encode_texts(['Huế']); e.encode_texts(['Huế'])"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stderr == "" and result.stdout == ""


def test_the_compiled_path_serves_threads_at_once():
    # The API and the app serve several searches at once from one process-wide encoder.
    from concurrent.futures import ThreadPoolExecutor

    encoder = load_encoder(DEFAULT_MODEL)
    alone = {text: encoder.encode_texts([text]) for text in TEXTS[:4]}
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda text: (text, encoder.encode_texts([text])), TEXTS[:4] * 5))
    assert all(np.allclose(vector, alone[text], atol=1e-6) for text, vector in together)


def test_the_path_is_compiled_on_the_second_query_not_the_first():
    # A one-off CLI search embeds one query: compiling (~2 s) would cost it more than it saves.
    from tfdb_dam.embeddings.sentence import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder(DEFAULT_MODEL)  # uncached: a fresh process's encoder
    first = encoder.encode_texts(["Huế"])
    assert encoder._one_text is None
    second = encoder.encode_texts(["Huế"])
    assert isinstance(encoder._one_text, onnx_text.OnnxTextPath)  # compiled now, and the vectors agree
    assert np.allclose(first, second, atol=1e-5)


def test_a_query_during_compilation_takes_the_eager_path_without_waiting():
    # A server's warm-up compiles in the background; a search meanwhile must not wait for it.
    import threading

    from tfdb_dam.embeddings.sentence import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder(DEFAULT_MODEL)
    encoder.encode_texts(["Huế"])  # the next single text would compile
    answers: list[np.ndarray] = []
    with encoder._one_text_lock:  # as while another thread compiles
        search = threading.Thread(target=lambda: answers.append(encoder.encode_texts(["chùa Thiên Mụ"])))
        search.start()
        search.join(60)  # waiting for the lock would never end: it is held until this block ends
        assert answers and encoder._one_text is None
    assert np.allclose(answers[0], encoder.encode_texts(["chùa Thiên Mụ", "Huế"])[:1], atol=1e-5)
