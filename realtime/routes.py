"""The `/ws` route (the socket endpoint lives in `realtime.socket`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from realtime.socket import websocket_endpoint
from server import runtime

PATH = "/ws"


def routes() -> list[BaseRoute]:
    return [WebSocketRoute(PATH, websocket_endpoint)]


class SocketsFirst:
    """ASGI: `/ws` goes straight to the socket endpoint, everything else to `app`.

    A socket's task stays suspended inside every layer it was called through for
    as long as the socket is open; Starlette's middleware and router would be
    seven of them per socket, none of which a socket uses (memory per socket is
    a goal, docs/realtime.md). The route above still serves `/ws` when the app is
    called directly (the test client). The socket runs in the app's runtime, as
    it would inside the app.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == PATH:
            scope["app"] = self.app  # WebSocket.app: where the hub is (app.state.hub)
            token = runtime.enter(self.app.state.runtime)
            try:
                await websocket_endpoint(WebSocket(scope, receive, send))
            finally:
                runtime.leave(token)
            return
        await self.app(scope, receive, send)
