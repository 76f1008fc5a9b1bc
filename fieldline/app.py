"""The application factory and its lifespan: the one place that wires the packages.

Routes come from `mobile_api` (HTTP) and `realtime` (the socket). The services
that run for as long as the server runs are entered in `SERVICES` order after
the database opens and left in reverse before it closes; each keeps its state
on `app.state` and plugs itself into the core's hooks here, in sight:
committed events go to the hub (`set_publisher`), revocations travel through
it (`control.set_revoke_handler`), presence is counted by its tracker
(`presence.use_tracker`), new cards go to the card reader (`card_queue.listen`).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

import mobile_api.routes
from fieldline.asyncapi import asyncapi_route
from mobile_api.api_docs import docs_routes
from mobile_api.errors import HANDLERS
from mobile_api.meta import openapi_route
from mobile_api.middleware.body_limit import BodyLimitMiddleware
from mobile_api.middleware.request_context import RequestContextMiddleware
from mobile_api.middleware.security_headers import SecurityHeadersMiddleware
from mobile_api.operations import operation_routes
from mobile_api.routing import api
from mobile_api.webapp import routes as webapp_routes
from notifications import service as notifications_service
from realtime import routes as realtime_routes
from realtime.broker import Broker
from realtime.hub import Hub
from schedulers import service as scheduler_service
from schedulers.card_reader import CardReader
from schedulers.ocr_pool import WorkerPool, pool_size
from server import card_queue, control, presence, runtime, session_cache
from server.actions.system import ensure_token_key, ensure_vapid_key
from server.db import close_database, open_database
from server.ratelimit import login_limiter, per_minute_limiter
from server.settings import Settings, get_settings, use_settings
from server.transaction import set_publisher

log = logging.getLogger("fieldline")

Service = Callable[[Starlette], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def realtime(app: Starlette) -> AsyncIterator[None]:
    """The broker, the hub of this process's sockets and the presence tracker; committed
    events and revoked sessions reach sockets in every process through them."""
    settings: Settings = app.state.settings
    broker = Broker(settings.redis_url or "memory://", prefix=settings.redis_prefix)
    await broker.connect()
    hub = Hub(broker)
    tracker = (
        presence.RedisTracker(settings.redis_url, settings.redis_prefix) if settings.redis_url else presence.Tracker()
    )
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


@asynccontextmanager
async def card_reading(app: Starlette) -> AsyncIterator[None]:
    """Cards are read in worker processes as soon as they are stored (schedulers.card_reader)."""
    settings: Settings = app.state.settings
    pool = WorkerPool(pool_size(settings.ocr_workers), settings.ocr_timeout_s)
    reader = CardReader(pool, settings)
    card_queue.listen(reader.submit)
    sweeper = asyncio.get_running_loop().create_task(reader.tick_forever())
    app.state.card_pool = pool
    try:
        yield
    finally:
        app.state.card_pool = None
        card_queue.unlisten(reader.submit)
        sweeper.cancel()
        await asyncio.gather(sweeper, return_exceptions=True)
        await reader.stop()
        await pool.close()


# The sockets' hub and broker first (events published by the others reach
# sockets), then the push senders (the jobs send through them), then the
# periodic jobs, then the card reader.
SERVICES: tuple[Service, ...] = (realtime, notifications_service.lifespan, scheduler_service.lifespan, card_reading)


def _routes() -> list[BaseRoute]:
    # Each module of mobile_api/routes registers its routes on `api` when imported.
    for info in sorted(pkgutil.iter_modules(mobile_api.routes.__path__), key=lambda i: i.name):
        importlib.import_module(f"{mobile_api.routes.__name__}.{info.name}")
    routes: list[BaseRoute] = [openapi_route(), asyncapi_route(), *docs_routes(), *operation_routes()]
    routes += api.starlette_routes()
    routes += realtime_routes.routes()
    return routes


def create_app(settings: Settings | None = None, *, run_services: bool = True) -> Starlette:
    """Build the app. `run_services=False` skips background jobs (some tests)."""
    settings = settings or get_settings()
    use_settings(settings)
    session_cache.use_ttl(settings.session_cache_s)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await open_database(settings.database_url)
        app.state.login_limiter = login_limiter(
            settings.login_attempts_per_minute, settings.login_attempts_per_address_per_minute,
            settings.redis_url, settings.redis_prefix,
        )
        app.state.lookup_limiter = per_minute_limiter(
            "lookup", settings.lookups_per_minute, settings.redis_url, settings.redis_prefix
        )
        try:
            runtime.set_token_key(await ensure_token_key(settings.secret_key, settings.key_file))
            runtime.set_vapid_key(ensure_vapid_key(settings.vapid_private_key, settings.vapid_key_file_path))
            async with AsyncExitStack() as stack:
                if run_services:
                    for service in SERVICES:
                        await stack.enter_async_context(service(app))
                yield
        finally:
            await app.state.login_limiter.close()
            await app.state.lookup_limiter.close()
            await close_database()

    app = _Fieldline(
        routes=_routes() + webapp_routes(settings.map_tile_url),
        middleware=[*_cors(settings), Middleware(BodyLimitMiddleware)],
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


class _Fieldline(Starlette):
    """Starlette with the request context outside everything, its error handling included."""

    def build_middleware_stack(self) -> ASGIApp:
        return RequestContextMiddleware(SecurityHeadersMiddleware(super().build_middleware_stack()))


def _cors(settings: Settings) -> list[Middleware]:
    """A console on another origin (FIELDLINE_CORS_ORIGINS); none by default."""
    if not settings.cors_origins:
        return []
    from starlette.middleware.cors import CORSMiddleware

    return [Middleware(
        CORSMiddleware, allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After", "ETag"], max_age=600,
    )]

