"""Every HTTP request: an id, one access-log line, its metrics.

The id is the caller's `X-Request-ID` when a trusted proxy forwarded the
request (`server.logs.request_id_for`), otherwise a new one. It is bound for
everything the request causes (its log lines carry it), answered in
`X-Request-ID`, and repeated in 5xx error bodies (`mobile_api.responses`).

This wraps the whole Starlette stack, its error middleware included, so a 500
answer carries the id too and its traceback is logged under it.
"""

from __future__ import annotations

import logging
import time

from starlette.types import Message, Receive, Scope, Send

from mobile_api.middleware import HttpMiddleware, set_headers
from server import metrics
from server.logs import REQUEST_ID_HEADER, bind_request_id, request_id_for, unbind_request_id

log = logging.getLogger("fieldline.access")
_HEADER = REQUEST_ID_HEADER.lower().encode()


class RequestContextMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_for(scope)
        token = bind_request_id(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                set_headers(message, [(_HEADER, request_id.encode())])
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _record(scope, status, time.perf_counter() - started)
        # On an exception the id stays bound: the server logs it next, in this task.
        unbind_request_id(token)


def _record(scope: Scope, status: int, seconds: float) -> None:
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    method = scope["method"]
    metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
    metrics.HTTP_SECONDS.labels(method, route).observe(seconds)
    client = scope.get("client")
    # The path only: a query string may hold a token (`/ws?token=`, links pasted by hand).
    log.info(
        "%s %s %d %.1fms", method, scope["path"], status, seconds * 1000,
        extra={"method": method, "path": scope["path"], "route": route, "status": status,
               "duration_ms": round(seconds * 1000, 1), "client": client[0] if client else None},
    )
