"""The `/ws` route (the socket endpoint lives in `realtime.socket`)."""

from __future__ import annotations

from starlette.routing import BaseRoute, WebSocketRoute

from realtime.socket import websocket_endpoint


def routes() -> list[BaseRoute]:
    return [WebSocketRoute("/ws", websocket_endpoint)]
