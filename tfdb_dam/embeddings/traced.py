"""A compiled path for embedding one text: the path every search query takes.

sentence-transformers runs a transformer module by module in Python. For one short text that
dispatch is a third of the time (all-MiniLM-L6-v2 on 2 cores: ~21 ms eager, ~14 ms traced), and
every step needs the GIL, which the search's other thread holds while it builds SQL and reads
rows. A TorchScript trace of the whole model (transformer, pooling, normalisation) runs the same
arithmetic as one graph, entered once from Python.

Tracing records the Python branches taken for its example (transformers' attention-mask
shortcuts among them), so the trace is taken of one unpadded text, used for one unpadded text
only, and trusted only once it agrees with the eager model on probes of other lengths. Models
whose first module is not a plain text transformer (CLIP and its kin), or that add a prompt or
truncate their vectors, keep the eager path.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

__all__ = [
    "TracedTextPath",
    "agrees_with_eager",
    "checked_path",
    "plain_text_keys",
    "quiet",
    "trace_text_path",
]

log = logging.getLogger(__name__)

_TEXT_KEYS = ("input_ids", "attention_mask", "token_type_ids")
EXAMPLE = "Lăng vua Tự Đức, Huế"
# Shorter and longer than the example, the second long enough to be truncated by most models.
_PROBES = ("Đại Nội", "the imperial tomb of emperor Tu Duc, pine trees and a lotus lake in the rain " * 40)
_TOLERANCE = 1e-4  # float32 noise between eager and traced kernels is ~1e-7


class TracedTextPath:
    """Embeds one text: the model's tokenizer, then the traced model (transformer, pooling,
    normalisation) as one graph."""

    def __init__(self, model: Any, keys: tuple[str, ...], graph: Callable):
        self._model = model
        self._keys = keys
        self._graph = graph

    def __call__(self, text: str) -> np.ndarray:
        import torch

        features = self._model.preprocess([text])
        with torch.inference_mode():
            vector = self._graph([features[key] for key in self._keys])
        return vector.float().cpu().numpy()


def trace_text_path(model: Any) -> TracedTextPath | None:
    """The traced one-text path for a sentence-transformers ``model``, or None when it does not
    apply or does not reproduce the eager vectors."""
    return checked_path(
        model,
        lambda keys: TracedTextPath(model, keys, _trace(model, keys, model.preprocess([EXAMPLE]))),
        "TorchScript",
    )


def checked_path(model: Any, make: Callable[[tuple[str, ...]], Any], runtime: str) -> Any:
    """``make(keys)``, a compiled one-text path for a plain text ``model``, once it reproduces the
    eager vectors; None when the model is not plain, compiling fails, or the vectors differ."""
    keys = plain_text_keys(model)
    if keys is None:
        return None
    try:
        path = make(keys)
        agrees = agrees_with_eager(model, path)
    except Exception as exc:  # noqa: BLE001 - any failure to compile means: use another path
        log.info("the embedding model cannot run on %s (%s: %s)", runtime, type(exc).__name__, exc)
        return None
    if not agrees:
        log.info("the embedding model on %s disagrees with the eager one; not used", runtime)
        return None
    return path


def plain_text_keys(model: Any) -> tuple[str, ...] | None:
    """The tensor inputs of the model's text transformer, or None when the model is not one plain
    transformer's last hidden state followed by modules that need nothing else."""
    from sentence_transformers.sentence_transformer.modules import Transformer

    first = model[0]
    if not isinstance(first, Transformer) or first.module_output_name != "token_embeddings":
        return None
    text = (getattr(first, "modality_config", None) or {}).get("text") or {}
    output = text.get("method_output_name")
    if text.get("method") != "forward" or output not in ("last_hidden_state", ("last_hidden_state",), ["last_hidden_state"]):
        return None
    if getattr(model, "default_prompt_name", None) or getattr(model, "truncate_dim", None):
        return None
    features = model.preprocess([EXAMPLE])
    tensors = tuple(key for key, value in features.items() if hasattr(value, "shape"))
    if not set(tensors) <= set(_TEXT_KEYS):
        return None
    return tuple(key for key in _TEXT_KEYS if key in tensors)


def _trace(model: Any, keys: tuple[str, ...], features: dict) -> Callable:
    """The whole model traced as one graph from token tensors to the sentence embedding."""
    import torch

    class _SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, tensors: list[torch.Tensor]) -> torch.Tensor:
            return self.model(dict(zip(keys, tensors)))["sentence_embedding"]

    with quiet(), torch.inference_mode():
        example = [features[key] for key in keys]
        traced = torch.jit.trace(_SentenceEmbedding().eval(), (example,), check_trace=False, strict=False)
    with quiet():
        return torch.jit.freeze(traced.eval())


@contextmanager
def quiet() -> Iterator[None]:
    """The tracer warns about each Python branch it records, and walking the model's attributes
    makes the libraries log deprecation notes; the probes check the outcome instead."""
    loggers = [logging.getLogger(name) for name in ("sentence_transformers", "transformers")]
    levels = [each.level for each in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for each in loggers:
            each.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for each, level in zip(loggers, levels):
                each.setLevel(level)


def agrees_with_eager(model: Any, path: Callable[[str], np.ndarray]) -> bool:
    """True when ``path`` gives the eager model's vectors for the example and the probes."""
    return all(_gap(model, path, probe) <= _TOLERANCE for probe in (EXAMPLE, *_PROBES))


def _gap(model: Any, path: Callable[[str], np.ndarray], text: str) -> float:
    eager = model.encode([text], convert_to_numpy=True, show_progress_bar=False)
    return float(np.abs(path(text) - eager).max())
