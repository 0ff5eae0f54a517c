"""The one-text path (search queries) on ONNX Runtime: the fastest way to embed a query here.

The TorchScript trace (traced.py) already runs the model as one graph, but torch's CPU kernels
are tuned for batches; ONNX Runtime fuses the transformer's attention and layer norms for one
short sequence. all-MiniLM-L6-v2, one query, 2 cores: ~12.5 ms traced, ~7.7 ms here.

The model is exported in memory (about 2 s and 90 MB once per process, freed once the session
holds it), so nothing is written to disk and no path is involved. The export is trusted only when
it reproduces the eager model's vectors on the same probes as the trace; otherwise the caller
falls back to the trace. onnx (for the export) and onnxruntime are ordinary dependencies; when
either is missing the path is simply not offered.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from tfdb_dam.embeddings.traced import EXAMPLE, checked_path, quiet

__all__ = ["OnnxTextPath", "onnx_text_path"]

# The exporter every torch release since 2.0 carries; the newer dynamo exporter needs onnxscript
# and takes several times longer for the same graph.
_OPSET = 17
_ORT_ERRORS_ONLY = 3  # onnxruntime's log severity: 0 verbose … 3 error


class OnnxTextPath:
    """Embeds one text: the model's tokenizer, then the exported model (transformer, pooling,
    normalisation) in one ONNX Runtime session."""

    def __init__(self, model: Any, keys: tuple[str, ...], session: Any):
        self._model = model
        self._keys = keys
        self._session = session

    def __call__(self, text: str) -> np.ndarray:
        features = self._model.preprocess([text])
        feeds = {key: features[key].numpy() for key in self._keys}
        return self._session.run(None, feeds)[0].astype(np.float32, copy=False)


def onnx_text_path(model: Any, threads: int) -> OnnxTextPath | None:
    """The ONNX Runtime one-text path for a sentence-transformers ``model``, or None when it does
    not apply, the libraries are missing, or it does not reproduce the eager vectors."""
    return checked_path(
        model, lambda keys: OnnxTextPath(model, keys, _session(_export(model, keys), threads)), "ONNX Runtime"
    )


def _export(model: Any, keys: tuple[str, ...]) -> bytes:
    """The whole model as an ONNX graph from token tensors to the sentence embedding, for one
    text of any length."""
    import torch

    class _SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(dict(zip(keys, tensors)))["sentence_embedding"]

    features = model.preprocess([EXAMPLE])
    buffer = io.BytesIO()
    with quiet(), torch.inference_mode():
        torch.onnx.export(
            _SentenceEmbedding().eval(),
            tuple(features[key] for key in keys),
            buffer,
            input_names=list(keys),
            output_names=["sentence_embedding"],
            dynamic_axes={key: {1: "tokens"} for key in keys},
            opset_version=_OPSET,
            dynamo=False,
        )
    return buffer.getvalue()


def _session(graph: bytes, threads: int) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = _ORT_ERRORS_ONLY
    # ONNX Runtime's workers spin after each run, waiting for the next; a search runs its
    # full-text leg on the other core meanwhile, and a spinning worker would take it.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
