"""The application factory and its lifespan (one `@asynccontextmanager`)."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from server import runtime, session_cache
from server.actions.system import ensure_token_key
from server.db import close_database, open_database
from server.ratelimit import login_limiter
from server.settings import Settings, get_settings, use_settings

log = logging.getLogger("fieldline")

# Each names a `lifespan(app)` async context manager, entered in this order
# after the database opens and left in reverse before it closes.
SERVICES = (
    "realtime.service",
    "notifications.service",
    "schedulers.service",
    "server.cards_service",
)


def _import_routes() -> list[BaseRoute]:
    import mobile_api.routes as package
    from mobile_api.meta import openapi_route
    from mobile_api.routing import api

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        importlib.import_module(f"{package.__name__}.{info.name}")
    from mobile_api.operations import operation_routes

    routes: list[BaseRoute] = [openapi_route(), *operation_routes()]
    routes += api.starlette_routes()
    realtime_routes = importlib.import_module("realtime.routes")
    routes += realtime_routes.routes()
    return routes


def create_app(settings: Settings | None = None, *, run_services: bool = True) -> Starlette:
    """Build the app. `run_services=False` skips background jobs (some tests)."""
    from mobile_api.errors import HANDLERS
    from mobile_api.middleware.body_limit import BodyLimitMiddleware
    from mobile_api.webapp import routes as webapp_routes

    settings = settings or get_settings()
    use_settings(settings)
    session_cache.use_ttl(settings.session_cache_s)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await open_database(settings.database_url)
        app.state.login_limiter = login_limiter(
            settings.login_attempts_per_minute, settings.redis_url, settings.redis_prefix
        )
        try:
            runtime.set_token_key(await ensure_token_key(settings.secret_key))
            async with AsyncExitStack() as stack:
                if run_services:
                    for name in SERVICES:
                        module = importlib.import_module(name)
                        await stack.enter_async_context(module.lifespan(app))
                yield
        finally:
            await app.state.login_limiter.close()
            await close_database()

    app = _Fieldline(
        routes=_import_routes() + webapp_routes(settings.map_tile_url),
        middleware=[*_cors(settings), Middleware(BodyLimitMiddleware)],
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


class _Fieldline(Starlette):
    """Starlette with the request context outside everything, its error handling included."""

    def build_middleware_stack(self) -> ASGIApp:
        from mobile_api.middleware.request_context import RequestContextMiddleware

        return RequestContextMiddleware(super().build_middleware_stack())


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


def _route_list(app: Starlette) -> list[Route]:
    return [r for r in app.routes if isinstance(r, Route)]
