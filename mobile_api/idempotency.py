"""`Idempotency-Key` on creates: hand the request to the server's key store."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from python_multipart.multipart import parse_options_header
from starlette.requests import Request
from starlette.responses import Response

from mobile_api.responses import json_response
from server.actions import idempotency

if TYPE_CHECKING:
    from mobile_api.routing import Call


async def replay_or_run(
    call: Call, key: str, respond: Callable[[], Awaitable[Response]]
) -> Response:
    body = _without_boundary(call.request, await call.request.body())
    fingerprint = hashlib.sha256(
        call.request.method.encode() + b" " + call.request.url.path.encode() + b"\n" + body
    ).hexdigest()

    async def produce() -> tuple[int, bytes]:
        response = await respond()
        return response.status_code, bytes(response.body)

    status, content = await idempotency.replay_or_run(call.user_id, key, fingerprint, produce)
    return json_response(content, status)


def _without_boundary(request: Request, body: bytes) -> bytes:
    """A multipart body with its boundary masked: a client that retries an
    upload builds a new random boundary around the same parts."""
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        return body
    return body.replace(b"--" + boundary, b"--<boundary>")
