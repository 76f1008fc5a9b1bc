"""The application factory and its lifespan: the one place that wires the packages.

Routes come from `mobile_api` (HTTP) and `realtime` (the socket); the services
that run for as long as the server runs are entered below in order after the
database opens and left in reverse before it closes.
"""

from __future__ import annotations

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
from realtime import routes as realtime_routes
from realtime import service as realtime_service
from schedulers import card_reader
from schedulers import service as scheduler_service
from server import runtime, session_cache
from server.actions.system import ensure_token_key
from server.db import close_database, open_database
from server.ratelimit import login_limiter, per_minute_limiter
from server.settings import Settings, get_settings, use_settings

log = logging.getLogger("fieldline")

Service = Callable[[Starlette], AbstractAsyncContextManager[None]]

# The sockets' hub and broker first (events published by the others reach
# sockets), then the periodic jobs, then the card reader.
SERVICES: tuple[Service, ...] = (
    realtime_service.lifespan,
    scheduler_service.lifespan,
    card_reader.lifespan,
)


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
            settings.login_attempts_per_minute, settings.redis_url, settings.redis_prefix
        )
        app.state.lookup_limiter = per_minute_limiter(
            "lookup", settings.lookups_per_minute, settings.redis_url, settings.redis_prefix
        )
        try:
            runtime.set_token_key(await ensure_token_key(settings.secret_key, settings.key_file))
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

