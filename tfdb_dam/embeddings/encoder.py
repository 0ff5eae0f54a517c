"""The ``Encoder`` contract every embedding model adapter meets, and its shared helpers.

Services and jobs depend on this protocol only; ``sentence.py`` is one adapter. Vectors are
float32 and L2-normalised, so cosine similarity is a dot product (pgvector ``vector_cosine_ops``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

import numpy as np

from tfdb_dam.errors import ConfigError

if TYPE_CHECKING:  # Pillow is only needed by callers that pass images.
    from PIL.Image import Image

__all__ = ["Encoder", "ImagesNotSupported", "l2_normalize"]


class ImagesNotSupported(ConfigError, NotImplementedError):
    """The configured embedding model embeds text only."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts (and, for CLIP-style models, images) into vectors of one shared space."""

    model_name: str
    dimension: int
    supports_images: bool

    def encode_texts(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return a ``(len(texts), dimension)`` float32 array of unit vectors."""
        ...

    def encode_images(self, images: Sequence["Image"], batch_size: int = 32) -> np.ndarray:
        """Return a ``(len(images), dimension)`` float32 array of unit vectors in the text space.

        Raises ``ImagesNotSupported`` when ``supports_images`` is false.
        """
        ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32; all-zero rows stay zero instead of becoming NaN."""
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.divide(array, norms, out=np.zeros_like(array), where=norms > 0)
