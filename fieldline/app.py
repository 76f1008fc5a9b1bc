"""The application factory and its lifespan: the one place that wires the packages.

Routes come from `mobile_api` (HTTP) and `realtime` (the socket). Each app owns
a `server.runtime.Runtime` (`app.state.runtime`): its settings, keys and
remembered callers, and the hooks its services plug in. The app enters it for
everything it runs, so two apps in one process share none of it. The services
that run for as long as the server runs are entered in `SERVICES` order after
the database opens and left in reverse before it closes; each plugs itself
into the runtime here, in sight: committed events go to the hub
(`publisher`), revocations travel through it (`revoke_handler`), presence is
counted by its tracker (`tracker`), new cards go to the card reader
(`card_listeners`), queued pushes to the push sender
(`notifications.service`).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator, Callable
from typing import Any
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

import mobile_api.routes
from fieldline.asyncapi import asyncapi_route
from mobile_api.api_docs import docs_routes
from mobile_api.errors import HANDLERS
from mobile_api.meta import openapi_route
from mobile_api.middleware.request_frame import RequestFrame
from mobile_api.operations import operation_routes
from mobile_api.routing import StaticFirstRouter, api
from mobile_api.webapp import routes as webapp_routes
from notifications import service as notifications_service
from realtime import routes as realtime_routes
from realtime.broker import Broker
from realtime.hub import Hub
from schedulers import service as scheduler_service
from schedulers.card_reader import CardReader
from schedulers.ocr_pool import WorkerPool, pool_size
from server import presence, runtime
from server.actions.system import ensure_token_key, ensure_vapid_key
from server.db import close_database, open_database
from server.ratelimit import login_limiter, per_minute_limiter
from server.runtime import Runtime
from server.settings import Settings, get_settings

log = logging.getLogger("fieldline")

Service = Callable[[Starlette], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def realtime(app: Starlette) -> AsyncIterator[None]:
    """The broker, the hub of this process's sockets and the presence tracker; committed
    events and revoked sessions reach sockets in every process through them."""
    state: Runtime = app.state.runtime
    settings = state.settings
    broker = Broker(settings.redis_url or "memory://", prefix=settings.redis_prefix)
    await broker.connect()
    hub = Hub(broker)
    tracker = (
        presence.RedisTracker(settings.redis_url, settings.redis_prefix) if settings.redis_url else presence.Tracker()
    )
    await tracker.start()
    await hub.start()
    state.tracker = tracker
    state.publisher = hub.publish_events
    state.revoke_handler = hub.revoke
    app.state.hub = hub
    try:
        yield
    finally:
        app.state.hub = None
        state.revoke_handler = None
        state.publisher = None
        state.tracker = None
        await hub.stop()
        await tracker.stop()
        await broker.disconnect()


@asynccontextmanager
async def card_reading(app: Starlette) -> AsyncIterator[None]:
    """Cards are read in worker processes as soon as they are stored (schedulers.card_reader)."""
    state: Runtime = app.state.runtime
    settings = state.settings
    pool = WorkerPool(pool_size(settings.ocr_workers, settings.serve_workers), settings.ocr_timeout_s)
    reader = CardReader(pool, settings)
    state.card_listeners.append(reader.submit)
    sweeper = asyncio.get_running_loop().create_task(reader.tick_forever())
    app.state.card_pool = pool
    try:
        yield
    finally:
        app.state.card_pool = None
        state.card_listeners.remove(reader.submit)
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
    state = Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Entered here too (not only per request in `_Fieldline.__call__`) for
        # whoever runs the lifespan directly: the tests, in their own task.
        outer = runtime.active()
        runtime.enter(state)
        await open_database(settings.database_url)
        app.state.login_limiter = login_limiter(
            settings.login_attempts_per_minute, settings.login_attempts_per_address_per_minute,
            settings.redis_url, settings.redis_prefix,
        )
        app.state.lookup_limiter = per_minute_limiter(
            "lookup", settings.lookups_per_minute, settings.redis_url, settings.redis_prefix
        )
        try:
            state.token_key = await ensure_token_key(settings.secret_key, settings.key_file)
            state.vapid_key = ensure_vapid_key(settings.vapid_private_key, settings.vapid_key_file_path)
            async with AsyncExitStack() as stack:
                if run_services:
                    for service in SERVICES:
                        await stack.enter_async_context(service(app))
                yield
        finally:
            await app.state.login_limiter.close()
            await app.state.lookup_limiter.close()
            await close_database()
            runtime.enter(outer)

    app = _Fieldline(
        routes=_routes() + webapp_routes(settings.map_tile_url),
        middleware=_cors(settings),
        exception_handlers=HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = state
    return app


class _Fieldline(Starlette):
    """Starlette with the request's frame (id, headers, body limit, access log) outside
    everything, its error handling included, and the app's runtime in force for
    everything it runs."""

    def __init__(self, *, routes: list[BaseRoute], lifespan: Any, **options: Any) -> None:
        super().__init__(routes=routes, lifespan=lifespan, **options)
        self.router = StaticFirstRouter(routes, lifespan=lifespan)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = runtime.enter(self.state.runtime)
        try:
            await super().__call__(scope, receive, send)
        finally:
            runtime.leave(token)

    def build_middleware_stack(self) -> ASGIApp:
        return RequestFrame(super().build_middleware_stack(), self._through_user_middleware)

    def _through_user_middleware(self, answer: ASGIApp) -> ASGIApp:
        """An answer the frame sends itself (413), through the app's own middleware
        (CORS, when a console origin is set) as the router's answers go."""
        for cls, args, kwargs in reversed(self.user_middleware):
            answer = cls(answer, *args, **kwargs)
        return answer


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

