"""The cache of query embeddings: the same words are embedded once, per model, the oldest go first."""

from __future__ import annotations

import numpy as np
import pytest

from tfdb_dam.services.search_vector import QueryVectors


class CountingEncoder:
    def __init__(self, model_name: str = "m"):
        self.model_name, self.calls = model_name, []

    def encode_texts(self, texts):  # noqa: ANN001, ANN201
        self.calls += list(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def test_the_same_words_are_embedded_once_per_model():
    cache, encoder, other = QueryVectors(4), CountingEncoder(), CountingEncoder("other")
    first = cache.get(encoder, "chùa Thiên Mụ")
    again = cache.get(encoder, "chùa Thiên Mụ")
    assert encoder.calls == ["chùa Thiên Mụ"] and again is first
    cache.get(other, "chùa Thiên Mụ")
    assert other.calls == ["chùa Thiên Mụ"]
    with pytest.raises(ValueError):
        first[0] = 0.0  # shared between requests: read-only


def test_the_least_recently_used_words_go_first_and_size_zero_keeps_nothing():
    cache, encoder = QueryVectors(2), CountingEncoder()
    for words in ("a", "b", "a", "c", "a", "b"):
        cache.get(encoder, words)
    assert encoder.calls == ["a", "b", "c", "b"]  # "b" was the oldest when "c" came
    uncached, counted = QueryVectors(0), CountingEncoder()
    cache.clear()
    uncached.get(counted, "a")
    uncached.get(counted, "a")
    assert counted.calls == ["a", "a"]
