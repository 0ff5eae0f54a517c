"""Vectors for the search benchmark: real embeddings of a sample of the synthetic records, and
synthetic vectors drawn to look like them, because embedding a million passages takes hours here.

The synthetic vectors have the real sample's mean and covariance (its principal directions and
their spread: real sentence embeddings are far from isotropic), and are grouped into topics whose
tightness is fitted so that a vector's nearest neighbours are as close as in the real sample.
Uniform noise or well-separated blobs would make HNSW recall trivially perfect.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search_synthetic import Generator, embedding_text

CHUNK = 20_000  # vectors are drawn chunk by chunk; any chunk can be drawn again alone
SAMPLE_TOKENS = 64
# Fitted: how many topics, and a vector's share of its own deviation from its topic's centre, so
# that the 1st, 10th and 100th nearest neighbours of CALIBRATION vectors are as close as in the
# real sample (at the same number of vectors: more vectors then crowd closer, as real ones would).
_TOPIC_COUNTS = (10, 30, 100, 300, 1000)
_SPREADS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
_CALIBRATION = 4_000
_NEIGHBOURS = (1, 10, 100)


def unit(array: np.ndarray) -> np.ndarray:
    return (array / np.linalg.norm(array, axis=1, keepdims=True)).astype(np.float32)


def sample_texts(count: int, category_ids: list[int]) -> list[str]:
    """The passages of the first ``count`` synthetic records of a library of that size."""
    generator = Generator(count)
    return [embedding_text(row) for row in generator.rows(1, count + 1, category_ids)]


@contextmanager
def _truncated(encoder, tokens: int):  # noqa: ANN001, ANN202
    """The model reading at most ``tokens`` word pieces of each passage (sentence-transformers'
    max_seq_length; other encoders are left as they are)."""
    model = getattr(encoder, "_model", None)
    before = getattr(model, "max_seq_length", None)
    if before is not None:
        model.max_seq_length = min(before, tokens)
    try:
        yield
    finally:
        if before is not None:
            model.max_seq_length = before


def real_sample(encoder, count: int, category_ids: list[int], cache: Path, say) -> np.ndarray:  # noqa: ANN001
    """Real embeddings of ``count`` synthetic records, kept in ``cache`` a thousand at a time (an
    interrupted run resumes). The passages are read up to SAMPLE_TOKENS word pieces: whole, the
    long bilingual passages embed at about 5 per second on 2 cores (20 000 would take an hour)."""
    folder = cache / f"real-{encoder.model_name}-{count}-{SAMPLE_TOKENS}"
    folder.mkdir(parents=True, exist_ok=True)
    texts, parts, began, done = None, [], time.perf_counter(), 0
    for start in range(0, count, 1000):
        part = folder / f"{start:07d}.npy"
        if not part.exists():
            texts = texts or sample_texts(count, category_ids)
            with _truncated(encoder, SAMPLE_TOKENS):
                np.save(part, encoder.encode_texts(texts[start : start + 1000], batch_size=64))
            done += min(1000, count - start)
            say(f"  embedded {min(start + 1000, count):,}/{count:,} passages")
        parts.append(np.load(part))
    if done:
        say(f"  {done / (time.perf_counter() - began):.0f} passages/s")
    return np.vstack(parts).astype(np.float32)


def neighbour_similarities(vectors: np.ndarray, ranks: tuple[int, ...] = _NEIGHBOURS) -> np.ndarray:
    """Mean cosine similarity of each vector to its k-th nearest other vector, for each k."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    ordered = np.sort(sims, axis=1)
    return np.array([float(np.mean(ordered[:, -k])) for k in ranks])


@dataclass
class VectorModel:
    """Unit vectors around topics, in the real sample's principal axes."""

    mean: np.ndarray  # (d,)
    axes: np.ndarray  # (d, d): principal directions scaled by their standard deviation
    topics: np.ndarray  # (topics, d): topic centres in whitened coordinates
    spread: float  # a vector's share of its own deviation from the topic centre
    seed: int = 20261128

    @classmethod
    def fit(cls, sample: np.ndarray, seed: int = 20261128) -> "VectorModel":
        mean = sample.mean(axis=0)
        values, vectors = np.linalg.eigh(np.cov(sample - mean, rowvar=False))
        axes = (vectors * np.sqrt(np.clip(values, 0, None))).astype(np.float32)
        compared = min(_CALIBRATION, len(sample))
        target = neighbour_similarities(sample[:compared])
        fits = []
        for count in _TOPIC_COUNTS:
            rng = np.random.default_rng([seed, count])
            topics = rng.normal(size=(count, sample.shape[1])).astype(np.float32)
            for spread in _SPREADS:
                model = cls(mean.astype(np.float32), axes, topics, spread, seed)
                error = float(np.sum((model.calibration(compared) - target) ** 2))
                fits.append((error, count, spread, model))
        return min(fits, key=lambda fit: fit[0])[3]

    @property
    def description(self) -> str:
        return f"{len(self.topics)} topics, spread {self.spread}"

    def calibration(self, count: int = _CALIBRATION) -> np.ndarray:
        return neighbour_similarities(self.draw(np.random.default_rng([self.seed, 1]), count))

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        topic = self.topics[rng.integers(len(self.topics), size=count)]
        own = rng.normal(size=(count, self.topics.shape[1])).astype(np.float32)
        whitened = np.sqrt(1 - self.spread**2) * topic + self.spread * own
        return unit(self.mean + whitened @ self.axes.T)

    def chunk(self, start: int, count: int) -> np.ndarray:
        """Vectors of records start … start+count-1 (start a multiple of CHUNK, or 1)."""
        return self.draw(np.random.default_rng([self.seed, 2, start]), count)

    def chunks(self, size: int):  # noqa: ANN201 - yields (first asset id, vectors)
        for start in range(1, size + 1, CHUNK):
            yield start, self.chunk(start, min(CHUNK, size + 1 - start))

    def queries(self, count: int) -> np.ndarray:
        return self.draw(np.random.default_rng([self.seed, 3]), count)


def exact_neighbours(  # noqa: ANN001 - keep: a boolean array or None
    model: VectorModel, size: int, queries: np.ndarray, k: int, keep=None
) -> list[set[int]]:
    """The true k nearest asset ids of each query among the ``size`` synthetic vectors, drawn
    again chunk by chunk (``keep``: a boolean array by asset id, the assets a filter keeps)."""
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    best_sims = np.zeros((len(queries), 0), dtype=np.float32)
    for start, vectors in model.chunks(size):
        ids = np.arange(start, start + len(vectors))
        sims = queries @ vectors.T
        if keep is not None:
            sims[:, ~keep[ids]] = -np.inf
        best_ids = np.hstack([best_ids, np.broadcast_to(ids, sims.shape)])
        best_sims = np.hstack([best_sims, sims])
        order = np.argsort(-best_sims, axis=1)[:, :k]
        best_ids = np.take_along_axis(best_ids, order, axis=1)
        best_sims = np.take_along_axis(best_sims, order, axis=1)
    return [set(row.tolist()) for row in best_ids]
