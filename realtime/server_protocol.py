"""uvicorn's sans-I/O WebSocket protocol with less kept per open socket.

`fieldline serve` runs uvicorn with `ws=` this class (`fieldline.cli.websocket_options`).
It behaves as uvicorn's `websockets-sansio` implementation, which it extends, but:

- the messages for the app wait in a list with one waiter (`Inbox`), not an
  `asyncio.Queue` (four deques of about 600 bytes each, for a queue that holds
  one message at a time: uvicorn pauses reading while one waits);
- the "transport can take more" flag (`Writable`) keeps no deque of waiters
  while nobody waits;
- the handshake request and response (their header lists) are let go once
  the response is sent, including the request `websockets` keeps in its
  parser's frame (`LeanWebSocketProtocol.restart_frame_parser`).

What each of these saves per socket is in docs/realtime.md ("Memory per socket").
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import Protocol


class Inbox:
    """What the ASGI server has received for the app: `put_nowait` and `get` as
    `asyncio.Queue`'s, for one reader (the app's `receive`) at a time."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            if self._waiter is not None:
                raise RuntimeError("the inbox has one reader at a time")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class Writable(asyncio.Event):
    """An `asyncio.Event`, set at first, that makes its list of waiters only when
    someone waits (the transport's buffer is full and a send must wait)."""

    def __init__(self) -> None:  # no super().__init__(): it makes the deque this avoids
        self._value = True
        self._waiters: list[asyncio.Future[bool]] | None = None  # type: ignore[assignment]  # typeshed: a deque, always

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        self._value = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(True)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> bool:  # type: ignore[override]  # typeshed: Literal[True]
        if self._value:
            return True
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            return await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)

    def __repr__(self) -> str:
        return f"<Writable {'set' if self._value else 'unset'}>"


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's `websockets-sansio` protocol, keeping less per socket (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]  # uvicorn types it as asyncio.Queue; Inbox has its interface
        self.writable = Writable()

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        self.restart_frame_parser()

    def restart_frame_parser(self) -> bool:
        """`websockets`' server parser reads the handshake request and then parses
        frames inside the same generator, whose frame keeps the request (its headers)
        for as long as the socket is open. Right after the handshake it waits at a
        frame boundary with nothing read (a client sends no frame before the
        response); then a fresh frame parser, in the same state, takes its place.
        True when it did (anything else leaves the parser as it is)."""
        conn = self.conn
        handshake = conn.parser
        frames = getattr(handshake, "gi_yieldfrom", None)
        waiting = getattr(frames, "gi_yieldfrom", None)
        if (
            getattr(frames, "gi_code", None) is not Protocol.parse.__code__
            or getattr(waiting, "__name__", None) != "at_eof"
            or conn.reader.buffer or conn.reader.eof or conn.parser_exc is not None
        ):
            return False
        parser = Protocol.parse(conn)
        next(parser)  # runs to the same wait: at_eof() with nothing buffered
        conn.parser = parser
        return True

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and getattr(self, "response", None) is not None:
            # The handshake is over: its headers are not read again (uvicorn types them as always set).
            self.request = self.response = None  # type: ignore[assignment]
