"""A connection's queues are bounded: ephemeral frames go first, then the socket."""

from __future__ import annotations

import asyncio

from realtime.connection import KEPT_BYTES, MAX_BACKLOG, MAX_EPHEMERAL, MAX_REPLIES, CloseCode, Connection, State


class StalledSocket:
    """A client that never reads: every send waits forever."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(text)
        await asyncio.Event().wait()


def _connection() -> Connection:
    connection = Connection(StalledSocket(), user_id=1, session_id=1)  # type: ignore[arg-type]
    connection.start_at(0, 0)
    return connection


async def test_ephemeral_frames_beyond_the_bound_drop_the_oldest():
    connection = _connection()
    for i in range(MAX_EPHEMERAL * 3):
        connection.offer_ephemeral(b'{"n":%d}' % i)
    kept = list(connection._ephemeral)
    assert len(kept) == MAX_EPHEMERAL
    assert kept[-1] == b'{"n":%d}' % (MAX_EPHEMERAL * 3 - 1)
    assert connection.close_code is None
    await connection.finish()


async def test_a_connection_that_falls_too_far_behind_is_closed_4408_and_keeps_bounded_frames():
    connection = _connection()
    frame = b"x" * 1000
    for seq in range(1, MAX_BACKLOG + 1):
        connection.offer_event(seq, frame)
    await asyncio.sleep(0)
    assert connection.close_code is None
    assert connection._kept_bytes <= KEPT_BYTES + len(frame)
    connection.offer_event(MAX_BACKLOG + 1, frame)
    assert connection.close_code == CloseCode.TOO_SLOW
    assert connection.state is State.CLOSING
    await connection.finish()


async def test_replies_that_pile_up_close_the_socket_instead_of_growing():
    connection = _connection()
    for _ in range(MAX_REPLIES):
        connection.reply('{"type":"pong"}')
    assert connection.close_code is None
    connection.reply('{"type":"pong"}')
    assert connection.close_code == CloseCode.TOO_SLOW
    await connection.finish()


async def test_events_offered_before_the_start_point_are_kept_only_when_newer():
    connection = Connection(StalledSocket(), user_id=1, session_id=1)  # type: ignore[arg-type]
    for seq in (3, 4, 5):
        connection.offer_event(seq, b"%d" % seq)
    connection.start_at(4, 4)
    assert list(connection._kept) == [5]
    assert connection.latest == 5 and connection.last_sent == 4
    await connection.finish()


class _Transport:
    """Stands in for the transport under uvicorn's websockets-sansio protocol."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return False


class _Protocol:
    """Stands in for uvicorn's websockets-sansio protocol, which `DirectSocket` writes to."""

    def __init__(self) -> None:
        from websockets.protocol import State as ProtocolState
        from websockets.server import ServerProtocol

        self.conn = ServerProtocol()
        self.conn.state = ProtocolState.OPEN
        self.transport = _Transport()
        self.writable = asyncio.Event()
        self.writable.set()
        self.close_sent = False

    def payloads(self) -> list[bytes]:
        return [data[2:] for data in self.transport.written]  # small unmasked frames: a 2-byte header

    async def send(self, message: dict) -> None:  # the ASGI send that `DirectSocket.under` follows
        raise AssertionError("frames go to the protocol directly")


class _FastSocket:
    def __init__(self, protocol: _Protocol) -> None:
        self._send = protocol.send


async def test_a_frame_written_at_once_does_not_skip_a_later_one_offered_before_it():
    """Two processes publish out of order: seq 2 arrives, then seq 1 while the
    writer has not woken yet. 1 goes out; 2 must still follow."""
    protocol = _Protocol()
    connection = Connection(_FastSocket(protocol), user_id=1, session_id=1)  # type: ignore[arg-type]
    assert connection._direct is not None
    connection.start_at(0, 0)
    await asyncio.sleep(0)  # nothing owed: no writer
    connection.offer_event(2, b"2")
    connection.offer_event(1, b"1")  # before the writer runs
    for _ in range(5):
        await asyncio.sleep(0)
    assert protocol.payloads() == [b"1", b"2"]
    assert connection.last_sent == 2
    connection.offer_event(3, b"3")  # idle again: written at once, by the caller
    assert protocol.payloads() == [b"1", b"2", b"3"] and connection._writer is None
    await connection.finish()
