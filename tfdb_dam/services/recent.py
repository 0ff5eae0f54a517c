"""A small thread-safe memory of the last values made, by key (least recently used goes first).

Searches run in several threads at once (the query embedding, the vector legs, the facets), so the
memory is guarded by a lock; the value is made outside it, so one slow making never blocks the
others (two threads may then make the same value once each, and the later one is kept).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()  # no value kept (None may be one)


class Recent(Generic[V]):
    """The last ``size`` values by key; ``size`` 0 keeps nothing (every value is made anew)."""

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        found = self._found(key)
        return None if found is _MISSING else found

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` for ``key``, forgetting the least recently used beyond ``size``."""
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        found = self._found(key)
        if found is not _MISSING:
            return found
        value = make()
        self.put(key, value)
        return value

    def _found(self, key: Hashable) -> V | object:
        """The value kept for ``key``, now the most recently used, or _MISSING."""
        with self._lock:
            if key not in self._kept:
                return _MISSING
            self._kept.move_to_end(key)
            return self._kept[key]

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
