"""Refuse oversized bodies with 413 before anything reads them whole.

Runs outside routing and auth. A declared Content-Length over the limit is
refused at once; a body without one is counted as it streams and cut off as
soon as it passes the limit.
"""

from __future__ import annotations

import functools

from starlette.types import Message, Receive, Scope, Send

from mobile_api.middleware import HttpMiddleware, app_path
from mobile_api.responses import error_response
from server.errors import AppError, ErrorCode

JSON_LIMIT_BYTES = 1024 * 1024
MULTIPART_LIMIT_BYTES = 10 * 1024 * 1024 + 256 * 1024  # a 10 MB file plus its envelope


def _too_large(limit: int) -> AppError:
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


def limit_for(scope: Scope) -> int:
    """10 MB for a multipart body sent to an upload route; 1 MiB for anything
    else, whatever the request declares (a JSON route claiming multipart read
    10 MB before it answered 415)."""
    if (scope["method"], app_path(scope)) not in _upload_routes():
        return JSON_LIMIT_BYTES
    for name, value in scope.get("headers", ()):
        if name == b"content-type" and value.lower().startswith(b"multipart/"):
            return MULTIPART_LIMIT_BYTES
    return JSON_LIMIT_BYTES


class BodyLimitMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = limit_for(scope)
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await error_response(_too_large(limit))(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return counted
