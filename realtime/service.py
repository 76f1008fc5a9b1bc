"""What the realtime package runs for as long as the server runs: the broker,
the hub of this process's sockets, presence, and the wiring that makes
committed events and revoked sessions reach sockets in every process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from realtime.broker import Broker
from realtime.hub import Hub
from server import control, presence
from server.settings import get_settings
from server.transaction import set_publisher


def _tracker(redis_url: str | None, prefix: str) -> presence.Tracker:
    return presence.RedisTracker(redis_url, prefix) if redis_url else presence.Tracker()


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    settings = get_settings()
    broker = Broker(settings.redis_url or "memory://", prefix=settings.redis_prefix)
    await broker.connect()
    hub = Hub(broker)
    tracker = _tracker(settings.redis_url, settings.redis_prefix)
    await tracker.start()
    await hub.start()
    presence.use_tracker(tracker)
    set_publisher(hub.publish_events)
    control.set_revoke_handler(hub.revoke)
    app.state.hub = hub
    try:
        yield
    finally:
        app.state.hub = None
        control.set_revoke_handler(None)
        set_publisher(None)
        presence.use_tracker(None)
        await hub.stop()
        await tracker.stop()
        await broker.disconnect()
