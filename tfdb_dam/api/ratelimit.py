"""Requests per minute for each API key or client address: a token bucket per caller, in memory.

Each `tfdb serve` runs one API process, so the buckets live in that process; a restart forgets
them, which at worst lets a caller start with a full minute's allowance again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from tfdb_dam.errors import TfdbError


class RateLimited(TfdbError):
    """The caller sent more requests in the last minute than TFDB_API_RATE_LIMIT allows."""

    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("api.rate_limited", seconds=retry_after)
        self.retry_after = retry_after


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # caller -> (tokens, at)
        self._lock = threading.Lock()

    def hit(self, caller: str) -> None:
        """Take one request from the caller's allowance; RateLimited when none is left."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.refill_per_second)
            if tokens < 1.0:
                self._buckets[caller] = (tokens, now)
                raise RateLimited(max(1, math.ceil((1.0 - tokens) / self.refill_per_second)))
            self._buckets[caller] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        # A bucket idle for a minute is full again: dropping it changes nothing.
        idle = [k for k, (_, at) in self._buckets.items() if now - at > 60.0]
        for key in idle:
            del self._buckets[key]
