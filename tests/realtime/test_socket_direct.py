"""Event frames go straight to the socket under the server `fieldline serve` runs,
and a connection holds a writer task only while something waits to be sent."""

from __future__ import annotations

import asyncio

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect

from fieldline.cli import websocket_options
from realtime.connection import Connection, DirectSocket
from tests.support.live import free_port


async def _report_direct(websocket: WebSocket) -> None:
    await websocket.accept()
    direct = DirectSocket.under(websocket)
    await websocket.send_text("direct" if direct is not None else "asgi")
    if direct is not None:
        assert direct.write(b'{"type":"written directly"}')
    await websocket.close()


async def bare_asgi(scope: Scope, receive: Receive, send: Send) -> None:
    """The socket endpoint called with the server's own `send` (realtime.routes.SocketsFirst)."""
    if scope["type"] == "websocket":
        await _report_direct(WebSocket(scope, receive, send))


through_starlette = Starlette(routes=[WebSocketRoute("/ws", _report_direct)])


@pytest.mark.parametrize("app", [bare_asgi, through_starlette], ids=["bare", "starlette"])
async def test_the_serve_settings_give_frames_a_direct_path_to_the_socket(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                           **websocket_options()))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        async with connect(f"ws://127.0.0.1:{port}/ws") as ws:
            assert await asyncio.wait_for(ws.recv(), 10) == "direct"
            assert await asyncio.wait_for(ws.recv(), 10) == '{"type":"written directly"}'
    finally:
        server.should_exit = True
        await serving


class RecordingSocket:
    """Takes every frame at once (no direct path: frames go through `send_text`)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(text)
        await asyncio.sleep(0)


async def test_a_writer_task_runs_only_while_frames_wait():
    connection = Connection(RecordingSocket(), user_id=1, session_id=1)  # type: ignore[arg-type]
    connection.start_at(0, 0)
    await asyncio.sleep(0)
    assert connection._writer is None
    connection.offer_event(1, b'{"seq":1}')
    connection.offer_event(2, b'{"seq":2}')
    connection.reply('{"type":"pong"}')
    assert connection._writer is not None
    for _ in range(10):
        await asyncio.sleep(0)
    assert connection._writer is None
    assert connection.websocket.sent == ['{"type":"pong"}', '{"seq":1}', '{"seq":2}']
    assert connection.last_sent == 2
    connection.offer_ephemeral(b'{"type":"typing"}')
    for _ in range(5):
        await asyncio.sleep(0)
    assert connection._writer is None and connection.websocket.sent[-1] == '{"type":"typing"}'
    await connection.finish()
