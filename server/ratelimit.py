"""A small in-process sliding-window limiter (per key, e.g. a client IP)."""

from __future__ import annotations

import math
import time
from collections import deque


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_s: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float:
        """Record one attempt; return 0 if allowed, else seconds to wait."""
        now = time.monotonic()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._hits.clear()  # bounded memory beats perfect fairness here
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if self.limit and len(hits) >= self.limit:
            return max(1.0, math.ceil(hits[0] + self.window_s - now))
        hits.append(now)
        return 0.0

    def reset(self) -> None:
        self._hits.clear()
