"""Behind a reverse proxy: the client's address and scheme from trusted proxies only.

uvicorn's ProxyHeadersMiddleware does the work (X-Forwarded-For,
X-Forwarded-Proto) when the connecting peer is in `forwarded_allow_ips`;
this layer also marks such requests so that the proxy's `X-Request-ID` is
kept (server.logs.request_id_for). A request from anyone else keeps its own
address, whatever headers it sends: the login limit and the logs see the
real peer.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from server.logs import TRUSTED_PROXY_KEY


class TrustedProxies:
    def __init__(self, app: ASGIApp, trusted: list[str]) -> None:
        # uvicorn and Starlette spell the ASGI types differently (TypedDict scopes vs mappings).
        self.inner = ProxyHeadersMiddleware(app, trusted)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if client and client[0] in self.inner.trusted_hosts:
                scope[TRUSTED_PROXY_KEY] = True
        await self.inner(scope, receive, send)  # type: ignore[arg-type]  # the same ASGI types, as above
