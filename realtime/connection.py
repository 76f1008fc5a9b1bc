"""One live socket: what it still owes the client, and the task that sends it.

Durable events are pulled, not pushed: the hub only tells a connection the
highest seq it knows was committed (`offer_event`), with the frame when it has
one. The connection sends seq `last_sent + 1`, `+ 2`, ... from those frames and
reads the log for any it lacks (a gap, a dropped broker message, frames not
kept because the client is slow). So delivery is in order, gap-free and
once, and a client that stops reading costs at most `KEPT_FRAMES` frames and
the socket's write buffer. See docs/realtime.md.

An idle socket has no writer task: a frame that can go out at once is written
straight to the socket by the hub (`Connection.offer_event`); anything that has
to wait (a queued reply, a log read, a full write buffer) starts a writer task,
which ends when everything owed has been sent.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from typing import Any

from starlette.websockets import WebSocket
from websockets.protocol import State as ProtocolState
from websockets.server import ServerProtocol

from realtime import log as event_log
from realtime import wire
from realtime.wire import RESYNC_REQUIRED
from server.metrics import EVENTS_DELIVERED, RESYNCS

logger = logging.getLogger(__name__)

KEPT_FRAMES = 256  # live frames kept per connection; beyond that the log is read
KEPT_BYTES = 128 * 1024  # ... and at most this many bytes of them
LOG_PAGE = 200  # events per log read while catching up
MAX_BACKLOG = 2_000  # unsent durable events before a slow socket is closed
MAX_REPLIES = 64  # acks, errors and pongs waiting to be sent
MAX_EPHEMERAL = 32  # typing/presence frames kept; the oldest go first


class CloseCode(enum.IntEnum):
    """WebSocket close codes of the channel (docs/realtime.md)."""

    GOING_AWAY = 1001
    INTERNAL_ERROR = 1011
    TRY_AGAIN_LATER = 1013
    UNAUTHENTICATED = 4401
    REVOKED = 4403
    TOO_SLOW = 4408
    FLOODING = 4429


class State(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"


class Connection:
    # Thousands of these live at once: slots, and plain lists for the small queues.
    __slots__ = (
        "websocket", "user_id", "session_id", "state", "close_code", "last_sent", "latest", "started",
        "read_log", "reader", "reading", "_kept", "_kept_bytes", "_replies", "_ephemeral", "_writer", "_direct",
    )

    def __init__(self, websocket: WebSocket, user_id: int, session_id: int) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.session_id = session_id
        self.state = State.OPEN
        self.close_code: int | None = None
        self.last_sent = 0  # highest seq handed to the socket
        self.latest = 0  # highest seq known to be committed
        self.started = False  # start_at() has run: the replay point is known
        self.read_log = False  # the log may hold events the hub did not hand over
        self.reader: asyncio.Task[None] | None = None  # the endpoint task, while it reads
        self.reading = False
        self._kept: dict[int, bytes] = {}
        self._kept_bytes = 0
        self._replies: list[str] = []
        self._ephemeral: list[bytes] = []
        self._writer: asyncio.Task[None] | None = None  # only while something waits to be sent
        self._direct = DirectSocket.under(websocket)

    def closing(self) -> bool:
        """close() has begun (asked afresh: the state changes while a read waits)."""
        return self.state is State.CLOSING

    # --- called by the hub and the reader (never block) ---

    def start_at(self, seq: int, committed: int) -> None:
        """Deliver from `seq + 1` on; `committed` is the last seq in the log now.

        Frames the hub offered before this call (the socket was registered
        before the log was read) are kept when newer, so none is missed.
        """
        self._kept = {s: f for s, f in self._kept.items() if s > seq}
        self._kept_bytes = sum(len(f) for f in self._kept.values())
        self.last_sent = seq
        self.latest = max([seq, committed, self.latest, *self._kept])
        self.started = True
        self._wake()

    def offer_event(self, seq: int, frame: bytes | None) -> bool:
        """True when the frame went out at once (the caller counts those deliveries)."""
        if seq <= self.last_sent or self.state is not State.OPEN:
            return False
        if frame is not None and seq == self.last_sent + 1 and self._write_now(frame):
            self.last_sent = seq
            if seq > self.latest:
                self.latest = seq
            return True
        self.latest = max(self.latest, seq)
        if frame is not None and len(self._kept) < KEPT_FRAMES and self._kept_bytes < KEPT_BYTES:
            self._kept[seq] = frame
            self._kept_bytes += len(frame)
        if self.started and self.latest - self.last_sent > MAX_BACKLOG:
            self.close(CloseCode.TOO_SLOW)
            return False
        self._wake()
        return False

    def catch_up(self) -> None:
        """Events may have been missed (broker overflow or reconnect): read the log."""
        self.read_log = True
        self._wake()

    def offer_ephemeral(self, frame: bytes) -> None:
        if self.state is not State.OPEN or self._write_now(frame):
            return
        if len(self._ephemeral) >= MAX_EPHEMERAL:
            del self._ephemeral[0]  # the oldest goes
        self._ephemeral.append(frame)
        self._wake()

    def reply(self, frame: str) -> None:
        if self.state is not State.OPEN or self._write_now(frame.encode()):
            return
        if len(self._replies) >= MAX_REPLIES:
            self.close(CloseCode.TOO_SLOW)
            return
        self._replies.append(frame)
        self._wake()

    def close(self, code: int) -> None:
        if self.state is State.OPEN:
            self.state = State.CLOSING
            self.close_code = code
            if self.reading and self.reader is not None:
                self.reader.cancel()

    async def finish(self) -> None:
        """The endpoint stops serving the socket: nothing more is sent (but the
        close frame); a running writer task is cancelled and awaited."""
        self.state = State.CLOSING
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)

    def _write_now(self, frame: bytes) -> bool:
        """Write a frame at once when nothing is owed before it (no writer task runs)
        and the socket takes it without waiting: the broadcast path."""
        return (
            self._writer is None and self.started and not self.read_log
            and self._direct is not None and self._direct.write(frame)
        )

    # --- the writer task ---

    def _wake(self) -> None:
        """Start a writer task unless one runs (it looks at every queue before it ends)."""
        if self._writer is None and self.started and self.state is State.OPEN:
            self._writer = asyncio.create_task(self._write_owed())

    async def _write_owed(self) -> None:
        try:
            await self._flush()
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket is gone or broken: end it
            logger.debug("a socket write failed", exc_info=True)
            self._writer = None
            self.close(CloseCode.INTERNAL_ERROR)
            return
        self._writer = None

    async def _flush(self) -> None:
        while self.state is State.OPEN:
            if self._replies:
                await self.websocket.send_text(self._replies.pop(0))
            elif self.latest > self.last_sent or self.read_log:
                await self._send_durable()
            elif self._ephemeral:
                await self._send(self._ephemeral.pop(0))
            else:
                return

    def _take_kept(self, seq: int) -> bytes | None:
        frame = self._kept.pop(seq, None)
        if frame is not None:
            self._kept_bytes -= len(frame)
        return frame

    async def _send_durable(self) -> None:
        frame = self._take_kept(self.last_sent + 1)
        if frame is not None:
            await self._send_event(self.last_sent + 1, frame)
            return
        self.read_log = False
        known = self.latest
        page = await event_log.frames_after(self.user_id, self.last_sent, LOG_PAGE)
        if not page:
            if self.latest == known:  # nothing more is committed; wait for the next event
                self.latest = self.last_sent
            return
        if page[0][0] != self.last_sent + 1:  # pruned under a live socket
            RESYNCS.inc()
            await self.websocket.send_text(wire.frame(RESYNC_REQUIRED))
        for seq, logged in page:
            if self.state is not State.OPEN:
                return
            await self._send_event(seq, self._take_kept(seq) or logged)
        if len(page) == LOG_PAGE:
            self.read_log = True

    async def _send(self, frame: bytes) -> None:
        if self._direct is None or not self._direct.write(frame):
            await self.websocket.send_text(frame.decode())  # waits while the write buffer is full

    async def _send_event(self, seq: int, frame: bytes) -> None:
        await self._send(frame)
        self.last_sent = seq
        self.latest = max(self.latest, seq)
        EVENTS_DELIVERED.inc()


class DirectSocket:
    """Writes text frames straight to the socket, as `websockets.broadcast` does:
    no task switch, no ASGI message dict, no bytes → str → bytes round trip.

    Available under uvicorn's `websockets-sansio` implementation (what `fieldline
    serve` runs): its protocol object holds the `websockets` sans-I/O connection
    (`conn`), the asyncio transport and a `writable` event cleared while the
    transport's buffer is over its high-water mark. Under any other ASGI server
    `under()` finds nothing and every frame goes through ASGI `send`.
    """

    __slots__ = ("_protocol", "_conn", "_transport", "_writable")

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._conn: ServerProtocol = protocol.conn
        self._transport: asyncio.Transport = protocol.transport
        self._writable: asyncio.Event = protocol.writable

    @classmethod
    def under(cls, websocket: WebSocket) -> DirectSocket | None:
        protocol = _asgi_server_protocol(websocket)
        if protocol is None:
            return None
        conn = getattr(protocol, "conn", None)
        transport = getattr(protocol, "transport", None)
        writable = getattr(protocol, "writable", None)
        if (
            not isinstance(conn, ServerProtocol) or not isinstance(writable, asyncio.Event)
            or not hasattr(transport, "write") or not hasattr(protocol, "close_sent")
        ):
            return None
        return cls(protocol)

    def write(self, frame: bytes) -> bool:
        """Write one text frame now; False (nothing written) when the socket cannot
        take it without waiting or is closing: the caller goes through ASGI then."""
        conn = self._conn
        if (
            not self._writable.is_set() or conn.state is not ProtocolState.OPEN or self._protocol.close_sent
            or self._transport.is_closing()
        ):
            return False
        try:  # the hub calls this for many sockets in a row: one broken socket must not stop it
            conn.send_text(frame)
            self._transport.write(b"".join(conn.data_to_send()))
        except Exception:
            logger.debug("a direct socket write failed", exc_info=True)
            return False
        return True


def _asgi_server_protocol(websocket: WebSocket) -> Any:
    """The ASGI server's protocol object behind this socket's `send`, if there is one.

    Starlette wraps `send` in closures (to track the response state); their free
    variable `send` leads down to the server's bound `send` method.
    """
    send = getattr(websocket, "_send", None)
    for _ in range(8):
        protocol = getattr(send, "__self__", None)
        if protocol is not None:
            return protocol
        code, cells = getattr(send, "__code__", None), getattr(send, "__closure__", None)
        if code is None or not cells or "send" not in code.co_freevars:
            return None
        send = cells[code.co_freevars.index("send")].cell_contents
    return None
