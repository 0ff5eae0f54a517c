"""The adapters a service receives: settings, database, file store and (lazily) the encoder."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tfdb_dam.config import Config, load_config
from tfdb_dam.db.engine import Database, connect
from tfdb_dam.storage import FileStore

if TYPE_CHECKING:
    from tfdb_dam.embeddings.encoder import Encoder

log = logging.getLogger(__name__)


@dataclass
class Context:
    """One per process (cached by the app, made once by the CLI); never holds a session."""

    config: Config
    db: Database
    store: FileStore
    _encoder: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _warming: threading.Thread | None = field(default=None, repr=False)
    # Not _lock: the warm-up holds that one while the model loads (seconds).
    _warming_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def encoder(self) -> "Encoder":
        """The embedding model, loaded on first use (loading torch costs seconds)."""
        with self._lock:
            if self._encoder is None:
                from tfdb_dam.embeddings import load_encoder

                self._encoder = load_encoder(self.config.tfdb_embedding_model)
            return self._encoder

    def warm_up(self) -> threading.Thread:
        """Load the embedding model and compile its query path in a background thread, once:
        otherwise a server's first search waits seconds for the model and its second for the
        compilation. Returns the thread (tests join it); searches meanwhile take the usual path."""
        with self._warming_lock:
            if self._warming is None:
                self._warming = threading.Thread(target=self._warm, name="tfdb-warm-up", daemon=True)
                self._warming.start()
            return self._warming

    def _warm(self) -> None:
        try:
            prepare = getattr(self.encoder(), "prepare_for_queries", None)
            if prepare is not None:
                prepare()
        except Exception:  # noqa: BLE001 - the first search will meet (and report) the same error
            log.warning("warming up the embedding model failed", exc_info=True)

    def close(self) -> None:
        self.db.dispose()


def open_context(config: Config | None = None, *, pool_size: int = 5) -> Context:
    config = config or load_config()
    db = connect(config, pool_size=pool_size)
    return Context(config=config, db=db, store=FileStore(config.home))
