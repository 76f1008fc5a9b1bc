"""Events on the broker and frames on the socket, encoded once.

A batch of committed events travels between processes as lines: for each
event a header `[type, ts, [[user_id, seq], ...]]` and then its data exactly
as it was serialised at commit (orjson never writes a raw newline), so no
process re-encodes a payload; each recipient's frame is spliced around it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from server.transaction import CommittedEvent

# Frames the server sends that are not events.
HELLO = "hello"
RESYNC_REQUIRED = "resync_required"
ACK = "ack"
PONG = "pong"
ERROR = "error"


def event_frame(event: CommittedEvent, seq: int | None) -> bytes:
    """The WebSocket frame of an event for one recipient; the payload is not re-encoded."""
    head = b'{"seq":%d,' % seq if seq is not None else b"{"
    return b'%s"type":"%s","ts":"%s","data":%s}' % (
        head,
        event.type.encode(),
        event.ts.encode(),
        event.data,
    )


def encode_events(events: list[CommittedEvent]) -> bytes:
    lines = []
    for event in events:
        lines.append(orjson.dumps([event.type, event.ts, event.targets]))
        lines.append(event.data)
    return b"\n".join(lines)


def decode_events(message: bytes) -> list[CommittedEvent]:
    lines = message.split(b"\n")
    events = []
    for index in range(0, len(lines) - 1, 2):
        type_, ts, targets = orjson.loads(lines[index])
        events.append(CommittedEvent(type_, ts, lines[index + 1], [tuple(t) for t in targets]))
    return events


def log_frame(seq: int, type_: str, data: str, created_at: dt.datetime) -> bytes:
    """The frame of a logged event, the same bytes the live path sends."""
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=dt.timezone.utc)
    ts = created_at.astimezone(dt.timezone.utc).isoformat()
    return event_frame(CommittedEvent(type_, ts, data.encode()), seq)


def frame(type_: str, **fields: Any) -> str:
    """A non-event frame (hello, ack, pong, error, resync_required)."""
    return orjson.dumps({"type": type_, **fields}).decode()


def ephemeral_frame(type_: str, ts: str, data: dict[str, Any]) -> bytes:
    return orjson.dumps({"type": type_, "ts": ts, "data": data})
