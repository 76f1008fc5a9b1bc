"""Every HTTP request, in one ASGI layer outside the whole Starlette stack.

What used to be three middleware layers (each a coroutine frame and a `send`
wrapper per request) is one, doing the same jobs in this order:

- **Request id.** The caller's `X-Request-ID` when a trusted proxy forwarded
  the request (`server.logs.request_id_for`), otherwise a new one. It is
  bound for everything the request causes (its log lines carry it), answered
  in `X-Request-ID`, and repeated in 5xx error bodies (`mobile_api.responses`).
  This layer wraps Starlette's error middleware too, so a 500 answer carries
  the id and its traceback is logged under it.
- **Headers every answer carries.** `X-Content-Type-Options: nosniff` on
  everything: a browser takes the declared type, so an upload never runs as a
  page or script. `Cache-Control: no-store` on answers that carry tokens
  (sign-in, refresh, password change): no cache, proxy or browser history
  keeps them.
- **Body limit.** Oversized bodies are refused with 413 before anything reads
  them whole, outside routing and auth: a declared Content-Length over the
  limit at once; a body without one is counted as it streams and cut off as
  soon as it passes the limit.
- **One access-log line and the request metrics** when the answer is done.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mobile_api.middleware import app_path, set_headers
from mobile_api.responses import error_response
from server import metrics
from server.errors import AppError, ErrorCode
from server.logs import REQUEST_ID_HEADER, bind_request_id, request_id_for, unbind_request_id

log = logging.getLogger("fieldline.access")

JSON_LIMIT_BYTES = 1024 * 1024
MULTIPART_LIMIT_BYTES = 10 * 1024 * 1024 + 256 * 1024  # a 10 MB file plus its envelope
TOKEN_PATHS = frozenset({"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/me/password"})

_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


def too_large(limit: int) -> AppError:
    return AppError(
        ErrorCode.TOO_LARGE,
        f"The request body is larger than {limit // 1024} KiB.",
        {"limit_bytes": limit},
    )


@functools.cache
def _upload_routes() -> frozenset[tuple[str, str]]:
    """(method, path) of the routes that take a multipart upload."""
    from mobile_api.routing import api

    return frozenset((e.method, e.path) for e in api.endpoints if e.raw_body == "multipart")


def limit_for(scope: Scope, path: str | None = None) -> int:
    """10 MB for a multipart body sent to an upload route; 1 MiB for anything
    else, whatever the request declares (a JSON route claiming multipart read
    10 MB before it answered 415)."""
    if (scope["method"], path if path is not None else app_path(scope)) not in _upload_routes():
        return JSON_LIMIT_BYTES
    for name, value in scope.get("headers", ()):
        if name == b"content-type" and value.lower().startswith(b"multipart/"):
            return MULTIPART_LIMIT_BYTES
    return JSON_LIMIT_BYTES


def _declared_length(scope: Scope) -> bytes | None:
    """The request's Content-Length (the last one, if it sent several)."""
    declared: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            declared = value
    return declared


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)
        return message

    return counted


class RequestFrame:
    """The request id, the headers every answer carries, the body limit and the access log.

    `refusal` wraps the 413 answer sent from here (the CORS layer, when a console
    origin is configured, so a browser can read it like any other answer)."""

    def __init__(self, app: ASGIApp, refusal: Callable[[ASGIApp], ASGIApp] | None = None) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = app_path(scope)
        request_id = request_id_for(scope)
        token = bind_request_id(request_id)
        extra = [(_REQUEST_ID, request_id.encode()), _NOSNIFF]
        if path in TOKEN_PATHS:
            extra += _NO_STORE
        started = time.perf_counter()
        status = 500

        async def send_framed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                set_headers(message, extra)
            await send(message)

        try:
            limit = limit_for(scope, path)
            declared = _declared_length(scope)
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                refusal: ASGIApp = error_response(too_large(limit))
                if self.refusal is not None:
                    refusal = self.refusal(refusal)
                await refusal(scope, receive, send_framed)
            else:
                await self.app(scope, _counting(receive, limit), send_framed)
        finally:
            _record(scope, status, time.perf_counter() - started)
        # On an exception the id stays bound: the server logs it next, in this task.
        unbind_request_id(token)


@functools.lru_cache(maxsize=4096)
def _series(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The request counter and duration histogram of one route and status (looked up once)."""
    return metrics.HTTP_REQUESTS.labels(method, route, str(status)), metrics.HTTP_SECONDS.labels(method, route)


def _record(scope: Scope, status: int, seconds: float) -> None:
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    method = scope["method"]
    requests, durations = _series(method, route, status)
    requests.inc()
    durations.observe(seconds)
    if not log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    # The path only: a query string may hold a token (`/ws?token=`, links pasted by hand).
    log.info(
        "%s %s %d %.1fms", method, scope["path"], status, seconds * 1000,
        extra={"method": method, "path": scope["path"], "route": route, "status": status,
               "duration_ms": round(seconds * 1000, 1), "client": client[0] if client else None},
    )
