"""Who is online (holds at least one live socket), across server processes.

Each process keeps the set of users with a socket on it: in memory, and with
Redis also as a set key refreshed every `PROCESS_TTL_S / 3` seconds, so a
process that dies stops counting within `PROCESS_TTL_S`. When a user's last
socket anywhere closes, the time is stored in the database (`presence` table)
and survives restarts. Presence events go to everyone who shares a
conversation with the user.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Iterable
from typing import cast

from server import runtime
from server.models.chat import Presence
from server.models.identity import User

PROCESS_TTL_S = 30
REDIS_CONNECTIONS = 16  # per process
REDIS_WAIT_S = 10.0  # for a free connection, else the call fails
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class Tracker:
    """This process's online users; the base class knows nothing of other processes."""

    def __init__(self) -> None:
        self.local: dict[int, int] = {}

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def add(self, user_id: int) -> None:
        self.local[user_id] = self.local.get(user_id, 0) + 1

    async def remove(self, user_id: int) -> None:
        left = self.local.get(user_id, 0) - 1
        if left > 0:
            self.local[user_id] = left
        else:
            self.local.pop(user_id, None)

    async def online_among(self, user_ids: list[int]) -> set[int]:
        return {u for u in user_ids if u in self.local}


class RedisTracker(Tracker):
    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self.url = url
        self.registry = f"{prefix}:online-processes"
        self.key_prefix = f"{prefix}:online:"
        self.key = self.key_prefix + uuid.uuid4().hex
        self._refresher: asyncio.Task[None] | None = None

    async def start(self) -> None:
        import redis.asyncio as redis

        # A burst of sockets opening (a server restart: every client reconnects) would
        # otherwise open a Redis connection per waiting `add` and fail past redis-py's
        # 100 ("Too many connections", the socket closed before its hello): a bounded
        # pool that waits for a free connection.
        pool = redis.BlockingConnectionPool.from_url(self.url, max_connections=REDIS_CONNECTIONS, timeout=REDIS_WAIT_S)
        self.redis = redis.Redis(connection_pool=pool)
        await self._refresh()
        self._refresher = asyncio.create_task(self._keep_alive())

    async def stop(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.gather(self._refresher, return_exceptions=True)
        await self.redis.delete(self.key)
        await self.redis.zrem(self.registry, self.key)
        await self.redis.aclose()

    async def add(self, user_id: int) -> None:
        await super().add(user_id)
        await self.redis.sadd(self.key, user_id)
        await self.redis.expire(self.key, PROCESS_TTL_S)

    async def remove(self, user_id: int) -> None:
        await super().remove(user_id)
        if user_id not in self.local:
            await self.redis.srem(self.key, user_id)

    async def online_among(self, user_ids: list[int]) -> set[int]:
        if not user_ids:
            return set()
        # Without scores the members come back alone; redis types the answer for withscores=True too.
        keys = cast("list[bytes]", await self.redis.zrangebyscore(self.registry, time.time(), "+inf"))
        pipe = self.redis.pipeline()
        for key in keys:
            pipe.smismember(key, user_ids)
        online: set[int] = set()
        for flags in await pipe.execute():
            online |= {u for u, flag in zip(user_ids, flags) if flag}
        return online

    async def _refresh(self) -> None:
        if self.local:
            await self.redis.sadd(self.key, *self.local)
        await self.redis.expire(self.key, PROCESS_TTL_S)
        await self.redis.zadd(self.registry, {self.key: time.time() + PROCESS_TTL_S})
        await self.redis.zremrangebyscore(self.registry, "-inf", time.time())

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(PROCESS_TTL_S / 3)
            try:
                await self._refresh()
            except Exception:  # Redis away for a moment: try again next round
                pass


async def online_among(user_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(user_ids))
    tracker = current()
    return await tracker.online_among(ids) if tracker is not None and ids else set()


async def offline_since(user_ids: Iterable[int]) -> dict[int, dt.datetime | None]:
    """None for users online now; else when their last socket closed.

    A user who never connected counts as offline since their account was
    created; an unknown id as offline since 1970-01-01 UTC.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    online = await online_among(ids)
    stored = dict(await Presence.filter(user_id__in=ids).values_list("user_id", "last_disconnect_at"))
    created = dict(await User.filter(id__in=ids).values_list("id", "created_at"))
    return {
        uid: None if uid in online else stored.get(uid) or created.get(uid) or NEVER for uid in ids
    }


def current() -> Tracker | None:
    """The running app's tracker (`Runtime.tracker`, set by its socket service)."""
    app = runtime.active()
    return app.tracker if app is not None else None
