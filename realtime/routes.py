"""The `/ws` route (the socket endpoint lives in `realtime.socket`)."""

from __future__ import annotations

from starlette.routing import BaseRoute, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from realtime.socket import websocket_endpoint

PATH = "/ws"


def routes() -> list[BaseRoute]:
    return [WebSocketRoute(PATH, websocket_endpoint)]


class SocketsFirst:
    """ASGI: `/ws` goes straight to the socket endpoint, everything else to `app`.

    A socket's task stays suspended inside every layer it was called through for
    as long as the socket is open; Starlette's middleware and router would be
    seven of them per socket, none of which a socket uses (memory per socket is
    a goal, docs/realtime.md). The route above still serves `/ws` when the app is
    called directly (the test client).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == PATH:
            scope["app"] = self.app  # WebSocket.app: where the hub is (app.state.hub)
            await websocket_endpoint(WebSocket(scope, receive, send))
            return
        await self.app(scope, receive, send)
