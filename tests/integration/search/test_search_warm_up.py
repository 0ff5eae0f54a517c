"""Servers warm the embedding model up at start (TFDB_WARM_UP): the first searches do not wait."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tfdb_dam.api.app import create_app
from tfdb_dam.embeddings import sentence
from tfdb_dam.embeddings.onnx_text import OnnxTextPath
from tfdb_dam.services.context import open_context

WARMING_S = 120  # loading the model and compiling it take ~5 s here; a loaded CI machine more


@pytest.fixture
def fresh_encoders(monkeypatch):  # noqa: ANN201
    # A process-wide encoder other tests compiled already would prove nothing.
    monkeypatch.setattr(sentence, "_CACHE", {})


def test_warm_up_loads_the_model_and_compiles_the_query_path(config, fresh_encoders):  # noqa: ANN001
    ctx = open_context(config.replace(tfdb_warm_up=True))
    try:
        thread = ctx.warm_up()
        assert ctx.warm_up() is thread  # once per process, however many pages ask
        thread.join(WARMING_S)
        assert not thread.is_alive()
        encoder = ctx.encoder()
        assert isinstance(encoder._one_text, OnnxTextPath)
        first = encoder.encode_texts(["chùa Thiên Mụ"])  # the very first query takes it
        eager = encoder.encode_texts(["chùa Thiên Mụ", "Huế"])[:1]
        assert np.allclose(first, eager, atol=1e-5)
    finally:
        ctx.close()


def test_the_api_warms_up_at_start_only_when_configured(config, fresh_encoders):  # noqa: ANN001
    for warm, expected in ((False, False), (True, True)):
        ctx = open_context(config.replace(tfdb_warm_up=warm))
        try:
            with TestClient(create_app(ctx)) as api:
                assert api.get("/api/v1/assets").status_code == 200
                assert (ctx._warming is not None) is expected
                if ctx._warming is not None:
                    ctx._warming.join(WARMING_S)
                    assert isinstance(ctx.encoder()._one_text, OnnxTextPath)
        finally:
            ctx.close()


def test_a_failed_warm_up_is_logged_and_searches_report_it(config, fresh_encoders, caplog):  # noqa: ANN001
    from tfdb_dam.errors import ConfigError

    ctx = open_context(config.replace(tfdb_warm_up=True, tfdb_embedding_model="/no/such/model"))
    try:
        with caplog.at_level(logging.WARNING, logger="tfdb_dam.services.context"):
            ctx.warm_up().join(WARMING_S)
        assert "warming up the embedding model failed" in caplog.text
        with pytest.raises(ConfigError):  # the search that needs the model says why, as before
            ctx.encoder()
    finally:
        ctx.close()
