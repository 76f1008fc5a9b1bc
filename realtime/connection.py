"""One live socket: what it still owes the client, and the task that sends it.

Durable events are pulled, not pushed: the hub only tells a connection the
highest seq it knows was committed (`offer_event`), with the frame when it has
one. The writer sends seq `last_sent + 1`, `+ 2`, ... from those frames and
reads the log for any it lacks (a gap, a dropped broker message, frames not
kept because the client is slow). So delivery is in order, gap-free and
once, and a client that stops reading costs at most `KEPT_FRAMES` frames and
the socket's write buffer. See docs/realtime.md.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from typing import Any

from starlette.websockets import WebSocket
from websockets.protocol import State as ProtocolState

from realtime import log as event_log
from realtime import wire
from realtime.events import RESYNC_REQUIRED

logger = logging.getLogger(__name__)

KEPT_FRAMES = 256  # live frames kept per connection; beyond that the log is read
KEPT_BYTES = 128 * 1024  # ... and at most this many bytes of them
LOG_PAGE = 200  # events per log read while catching up
MAX_BACKLOG = 2_000  # unsent durable events before a slow socket is closed
MAX_REPLIES = 64  # acks, errors and pongs waiting to be sent
MAX_EPHEMERAL = 32  # typing/presence frames kept; the oldest go first
TEXT = 1  # WebSocket opcode of a text frame


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
        self._kept: dict[int, bytes] = {}
        self._kept_bytes = 0
        self._replies: deque[str] = deque()
        self._ephemeral: deque[bytes] = deque(maxlen=MAX_EPHEMERAL)
        self._wake = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None  # the endpoint task, while it reads
        self._protocol = _websockets_protocol(websocket)
        self._writer_idle = False
        self.reading = False

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
        self._wake.set()

    def offer_event(self, seq: int, frame: bytes | None) -> None:
        if seq <= self.last_sent or self.state is not State.OPEN:
            return
        if frame is not None and seq == self.last_sent + 1 and self._write_now(frame):
            # Later seqs may be waiting (offered out of order, kept for the
            # writer): only this one was sent.
            self.last_sent = seq
            self.latest = max(self.latest, seq)
            return
        self.latest = max(self.latest, seq)
        if frame is not None and len(self._kept) < KEPT_FRAMES and self._kept_bytes < KEPT_BYTES:
            self._kept[seq] = frame
            self._kept_bytes += len(frame)
        if self.started and self.latest - self.last_sent > MAX_BACKLOG:
            self.close(CloseCode.TOO_SLOW)
        self._wake.set()

    def catch_up(self) -> None:
        """Events may have been missed (broker overflow or reconnect): read the log."""
        self.read_log = True
        self._wake.set()

    def offer_ephemeral(self, frame: bytes) -> None:
        self._ephemeral.append(frame)  # a full deque drops its oldest frame
        self._wake.set()

    def reply(self, frame: str) -> None:
        if len(self._replies) >= MAX_REPLIES:
            self.close(CloseCode.TOO_SLOW)
            return
        self._replies.append(frame)
        self._wake.set()

    def close(self, code: int) -> None:
        if self.state is State.OPEN:
            self.state = State.CLOSING
            self.close_code = code
            self._wake.set()
            if self.reading and self.reader is not None:
                self.reader.cancel()

    # --- the writer task ---

    async def run_writer(self) -> None:
        """Send until the connection closes; the endpoint cancels it then."""
        while self.state is State.OPEN:
            self._writer_idle = True
            try:
                await self._wake.wait()
            finally:
                self._writer_idle = False
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        while self.state is State.OPEN:
            if self._replies:
                await self.websocket.send_text(self._replies.popleft())
            elif self.latest > self.last_sent or self.read_log:
                await self._send_durable()
            elif self._ephemeral:
                await self._send(self._ephemeral.popleft())
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
            await self.websocket.send_text(wire.frame(RESYNC_REQUIRED))
        for seq, logged in page:
            if self.state is not State.OPEN:
                return
            await self._send_event(seq, self._take_kept(seq) or logged)
        if len(page) == LOG_PAGE:
            self.read_log = True

    def _write_now(self, frame: bytes) -> bool:
        """Write a frame at once when nothing is queued before it and the socket
        takes it without waiting (the broadcast path: no task switch, no copy)."""
        protocol = self._protocol
        if (
            protocol is None or not self.started or not self._writer_idle or self._replies
            or self.read_log or protocol.state is not ProtocolState.OPEN or protocol._paused
        ):
            return False
        try:
            protocol.write_frame_sync(True, TEXT, frame)
        except Exception:
            return False
        return True

    async def _send(self, frame: bytes) -> None:
        protocol = self._protocol
        if protocol is None:
            await self.websocket.send_text(frame.decode())
            return
        await protocol.write_frame(True, TEXT, frame)

    async def _send_event(self, seq: int, frame: bytes) -> None:
        await self._send(frame)
        self.last_sent = seq
        self.latest = max(self.latest, seq)



def _websockets_protocol(websocket: WebSocket) -> Any:
    """The `websockets` protocol object under uvicorn's ASGI adapter, when there is
    one: frames are written to it directly, as `websockets.broadcast` does,
    instead of going through ASGI message dicts and a text round trip.

    Starlette wraps `send` in closures (to track the response state); their free
    variable `send` leads down to uvicorn's bound `asgi_send`.
    """
    send = getattr(websocket, "_send", None)
    for _ in range(8):
        protocol = getattr(send, "__self__", None)
        if all(hasattr(protocol, name) for name in ("write_frame_sync", "write_frame", "state", "_paused")):
            return protocol
        code, cells = getattr(send, "__code__", None), getattr(send, "__closure__", None)
        if code is None or not cells or "send" not in code.co_freevars:
            return None
        send = cells[code.co_freevars.index("send")].cell_contents
    return None
