"""Fan-out between server processes: publish bytes on a channel, subscribe to it.

    broker = Broker("memory://")          # or "redis://host:6379/0", prefix="fieldline"
    await broker.connect()
    async with broker.subscribe("events") as subscription:
        async for message in subscription: ...
    await broker.publish("events", b"...")

The backend is chosen by URL and `redis` is imported only when used. Each
subscription has a bounded queue: when a consumer falls behind, the queue is
emptied and the consumer reads `Broker.OVERFLOW` once instead, so that it can
catch up from the event log rather than grow memory without end. A Redis
reconnect is reported the same way (messages may have been missed meanwhile),
and what could not be published is kept and published again (see
`_RedisBackend`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)

SUBSCRIPTION_QUEUE = 10_000
REDIS_RETRY_S = 0.5
REDIS_TIMEOUT_S = 5.0  # connect or answer, else the call fails (and is retried)
MAX_UNSENT = 10_000  # messages kept while Redis is unreachable
PUBLISH_CONNECTIONS = 8  # per process


class Subscription:
    """The messages published on one channel since subscribing, in order."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(SUBSCRIPTION_QUEUE)

    def put(self, message: bytes) -> None:
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflow()

    def overflow(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(Broker.OVERFLOW)

    async def get(self) -> bytes:
        return await self._queue.get()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> bytes:
        return await self._queue.get()


class Broker:
    OVERFLOW = b""  # read instead of messages that were dropped or missed

    def __init__(self, url: str | None = None, *, prefix: str = "fieldline") -> None:
        url = url or "memory://"
        if url.startswith("memory://"):
            self._backend: _Backend = _MemoryBackend()
        elif url.startswith(("redis://", "rediss://")):
            self._backend = _RedisBackend(url, prefix)
        else:
            raise ValueError(f"unsupported broker URL {url!r}: use memory:// or redis://")
        self._subscribers: dict[str, set[Subscription]] = {}
        self._backend.deliver = self._deliver

    async def connect(self) -> None:
        await self._backend.connect()

    async def disconnect(self) -> None:
        await self._backend.disconnect()

    async def publish(self, channel: str, message: bytes) -> None:
        await self._backend.publish(channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channel)
        first = channel not in self._subscribers
        self._subscribers.setdefault(channel, set()).add(subscription)
        if first:
            await self._backend.subscribe(channel)
        try:
            yield subscription
        finally:
            self._subscribers[channel].discard(subscription)
            if not self._subscribers[channel]:
                del self._subscribers[channel]
                await self._backend.unsubscribe(channel)

    def _deliver(self, channel: str, message: bytes) -> None:
        for subscription in self._subscribers.get(channel, ()):
            if not message:
                subscription.overflow()
            else:
                subscription.put(message)


class _Backend:
    deliver: Any

    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    async def publish(self, channel: str, message: bytes) -> None: ...
    async def subscribe(self, channel: str) -> None: ...
    async def unsubscribe(self, channel: str) -> None: ...


class _MemoryBackend(_Backend):
    """One process: publishing hands the message to local subscribers at once."""

    async def publish(self, channel: str, message: bytes) -> None:
        self.deliver(channel, message)


class _RedisBackend(_Backend):
    """Redis pub/sub; channel names carry the prefix so deployments can share a Redis.

    Two failure rules keep a Redis restart from losing live events:

    - Receiving: redis-py reconnects and subscribes again by itself. Redis
      confirms each subscription, and a confirmation for a channel that was
      already confirmed means the subscription was lost and is back. Only
      then is `OVERFLOW` delivered (catch up from the log): a catch-up read
      earlier, before the new subscription stands, could miss what is
      published in between.
    - Publishing: a message Redis did not take is delivered to this process's
      subscribers at once and kept, in order, to be published again when
      Redis is back, so other processes see it too (their sockets drop the
      copies they already have by seq). Beyond `MAX_UNSENT` kept messages
      the oldest of a channel collapse into one `OVERFLOW`.
    """

    def __init__(self, url: str, prefix: str) -> None:
        self.url, self.prefix = url, prefix
        self._channels: set[str] = set()
        self._confirmed: set[str] = set()  # channels Redis has confirmed once
        self._reader: asyncio.Task[None] | None = None
        self._unsent: deque[tuple[str, bytes]] = deque()
        self._resender: asyncio.Task[None] | None = None

    def key(self, channel: str) -> str:
        return f"{self.prefix}:{channel}"

    async def connect(self) -> None:
        import redis.asyncio as redis

        # Publishers wait for one of a few connections rather than open one each (redis-py
        # fails past 100 open at once).
        pool = redis.BlockingConnectionPool.from_url(
            self.url, max_connections=PUBLISH_CONNECTIONS, timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S)
        self.redis = redis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub()
        self._reader = asyncio.create_task(self._read())

    async def disconnect(self) -> None:
        for task in (self._reader, self._resender):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await self.pubsub.aclose()  # type: ignore[no-untyped-call]  # redis leaves PubSub.aclose unannotated
        await self.redis.aclose()

    async def publish(self, channel: str, message: bytes) -> None:
        if self._unsent:  # stay behind what is waiting for Redis
            self._keep(channel, message)
            return
        try:
            await self.redis.publish(self.key(channel), message)
        except Exception:
            log.warning("could not publish on %s; delivering locally and publishing again later", channel,
                        exc_info=True)
            self._keep(channel, message)

    def _keep(self, channel: str, message: bytes) -> None:
        self.deliver(channel, message)
        if len(self._unsent) >= MAX_UNSENT:
            kept = [c for c, _ in self._unsent]
            self._unsent = deque((c, Broker.OVERFLOW) for c in dict.fromkeys(kept))
        self._unsent.append((channel, message))
        if self._resender is None or self._resender.done():
            self._resender = asyncio.create_task(self._publish_unsent())

    async def _publish_unsent(self) -> None:
        while self._unsent:
            channel, message = self._unsent[0]
            try:
                await self.redis.publish(self.key(channel), message)
            except asyncio.CancelledError:
                raise
            except Exception:
                await asyncio.sleep(REDIS_RETRY_S)
                continue
            self._unsent.popleft()
        log.info("Redis is back: kept messages published")

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        await self.pubsub.subscribe(self.key(channel))

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        self._confirmed.discard(channel)
        await self.pubsub.unsubscribe(self.key(channel))

    async def _read(self) -> None:
        start = len(self.prefix) + 1
        while True:
            try:
                if not self.pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                message = await self.pubsub.get_message(timeout=1.0)
                if message is None:
                    continue
                if message["type"] == "message":
                    self.deliver(message["channel"].decode()[start:], message["data"])
                elif message["type"] == "subscribe":
                    self._on_subscribed(message["channel"].decode()[start:])
            except asyncio.CancelledError:
                raise
            except Exception:
                # redis-py reconnects and subscribes again on a later read;
                # the confirmations then trigger the catch-up.
                log.warning("lost the Redis subscription; reconnecting", exc_info=True)
                await asyncio.sleep(REDIS_RETRY_S)

    def _on_subscribed(self, channel: str) -> None:
        if channel not in self._channels:
            return
        if channel in self._confirmed:  # subscribed again after a lost connection
            log.info("Redis subscription to %s is back; catching up from the log", channel)
            self.deliver(channel, Broker.OVERFLOW)
        self._confirmed.add(channel)
