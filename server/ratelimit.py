"""Rate limits per key (e.g. a client IP): in this process's memory, or shared
by every process through Redis when `REDIS_URL` is set."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Limiter(Protocol):
    async def attempt(self, key: str) -> float:
        """Record one attempt; return 0 if allowed, else seconds to wait."""

    async def close(self) -> None: ...


class SlidingWindowLimiter:
    """A small in-process sliding window (refused attempts are not counted)."""

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

    async def attempt(self, key: str) -> float:
        return self.hit(key)

    def reset(self) -> None:
        self._hits.clear()

    async def close(self) -> None:
        pass


# One atomic step: count the attempt; the first one of a window starts its clock.
_COUNT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""


class RedisWindowLimiter:
    """A fixed window per key shared by every process: the first attempt starts
    a window of `window_s`; once `limit` attempts fall in it the rest wait for
    it to end. Keys are `<prefix>:ratelimit:<name>:<key>`. When Redis cannot be
    reached the attempt is counted in this process instead (never a 5xx)."""

    def __init__(self, url: str, prefix: str, name: str, limit: int, window_s: float) -> None:
        import redis.asyncio as redis

        self.limit = limit
        self.window_s = window_s
        self.prefix = f"{prefix}:ratelimit:{name}:"
        self.redis: Any = redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)
        self.fallback = SlidingWindowLimiter(limit, window_s)

    async def attempt(self, key: str) -> float:
        if not self.limit:
            return 0.0
        from redis.exceptions import RedisError

        try:
            count, ttl_ms = await self.redis.eval(_COUNT, 1, self.prefix + key, int(self.window_s * 1000))
        except (RedisError, OSError) as error:
            log.warning("rate limit counted in this process only: Redis is unavailable (%s)", error)
            return self.fallback.hit(key)
        if int(count) > self.limit:
            return max(1.0, math.ceil(int(ttl_ms) / 1000))
        return 0.0

    async def close(self) -> None:
        await self.redis.aclose()


class LoginLimiter:
    """Login attempts per minute, per client address and login together, and
    per address alone with a much higher ceiling: guessing at one account from
    one address is stopped after a few tries, while an office of 50 people
    behind one address can all sign in at 9:00."""

    def __init__(self, per_login: Limiter, per_address: Limiter) -> None:
        self.per_login = per_login
        self.per_address = per_address

    async def attempt(self, address: str, login: str) -> float:
        """Record one attempt; return 0 if allowed, else seconds to wait."""
        wait = await self.per_login.attempt(f"{address}|{login.casefold()}")
        return max(wait, await self.per_address.attempt(address))

    async def close(self) -> None:
        await self.per_login.close()
        await self.per_address.close()


def login_limiter(per_login: int, per_address: int, redis_url: str | None, prefix: str) -> LoginLimiter:
    return LoginLimiter(
        per_minute_limiter("login", per_login, redis_url, prefix),
        per_minute_limiter("login-address", per_address, redis_url, prefix),
    )


def per_minute_limiter(name: str, limit: int, redis_url: str | None, prefix: str) -> Limiter:
    """`limit` attempts per key per minute, shared through Redis when it is configured."""
    if redis_url:
        return RedisWindowLimiter(redis_url, prefix, name, limit, 60.0)
    return SlidingWindowLimiter(limit, 60.0)
