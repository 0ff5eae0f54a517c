"""Embedding models behind the ``Encoder`` contract; importing this package does not import torch."""

from tfdb_dam.embeddings.encoder import Encoder, ImagesNotSupported, l2_normalize
from tfdb_dam.embeddings.sentence import DEFAULT_MODEL, SentenceTransformerEncoder, load_encoder

__all__ = [
    "DEFAULT_MODEL",
    "Encoder",
    "ImagesNotSupported",
    "SentenceTransformerEncoder",
    "l2_normalize",
    "load_encoder",
]
