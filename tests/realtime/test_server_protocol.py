"""The WebSocket protocol `fieldline serve` runs keeps less per socket and still
carries every message both ways (realtime.server_protocol)."""

from __future__ import annotations

import asyncio

import uvicorn
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect
from websockets.protocol import Protocol

from fieldline.cli import websocket_options
from realtime.connection import _asgi_server_protocol
from realtime.server_protocol import Inbox, LeanWebSocketProtocol, Writable
from tests.support.live import free_port


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_the_inbox_hands_out_messages_in_order_and_wakes_a_waiting_reader():
    inbox = Inbox()
    inbox.put_nowait(1)
    inbox.put_nowait(2)
    assert inbox.qsize() == 2 and not inbox.empty()
    assert await inbox.get() == 1
    assert await inbox.get() == 2
    assert inbox.empty()
    reader = asyncio.create_task(inbox.get())
    await _settle()
    assert not reader.done()
    inbox.put_nowait(3)
    assert await reader == 3


async def test_a_cancelled_read_loses_no_message():
    inbox = Inbox()
    reader = asyncio.create_task(inbox.get())
    await _settle()
    reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)
    inbox.put_nowait("kept")
    assert await inbox.get() == "kept"


async def test_writable_is_set_at_first_and_a_waiting_send_goes_on_when_it_is_set_again():
    writable = Writable()
    assert isinstance(writable, asyncio.Event) and writable.is_set()
    assert await writable.wait() is True
    writable.clear()
    waiting = asyncio.create_task(writable.wait())
    await _settle()
    assert not waiting.done()
    writable.set()
    assert await waiting is True
    assert writable._waiters is None  # nothing kept once nobody waits


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    websocket = WebSocket(scope, receive, send)
    await websocket.accept()
    protocol = _asgi_server_protocol(websocket)
    await websocket.send_json({
        "protocol": type(protocol).__name__,
        "inbox": isinstance(protocol.queue, Inbox),
        "writable": isinstance(protocol.writable, Writable),
        "handshake_kept": protocol.request is not None or protocol.response is not None,
        "fresh_frame_parser": protocol.conn.parser.gi_code is Protocol.parse.__code__,
    })
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        await websocket.send_text("echo " + message["text"])


async def test_the_serve_settings_run_the_lean_protocol_and_it_carries_messages_both_ways():
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_echo, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                           **websocket_options()))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        async with connect(f"ws://127.0.0.1:{port}/ws") as ws:
            assert await asyncio.wait_for(ws.recv(), 10) == (
                '{"protocol":"%s","inbox":true,"writable":true,"handshake_kept":false,"fresh_frame_parser":true}'
                % LeanWebSocketProtocol.__name__)
            for n in range(20):
                await ws.send(f"frame {n}")
            assert [await asyncio.wait_for(ws.recv(), 10) for _ in range(20)] == [f"echo frame {n}" for n in range(20)]
    finally:
        server.should_exit = True
        await serving

