"""Frames a client sends, each answered by a frame; a bad one never closes the socket.

Client frames (API.md): `message.send` → `ack`, `typing`, `read`, `ping` →
`pong`, and `received` (`{"type": "received", "seq": N}`: this device has
every event up to N; its pushes still waiting for those are dropped, no
answer; docs/push.md). Text over `MAX_FRAME_BYTES` is refused with a `too_large` error frame;
more than `RATE_PER_S` frames a second (bursts of `BURST`) get one
`rate_limited` error frame and are dropped; a client that keeps flooding for
`FLOOD_STRIKES` more frames is closed with 4429.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, Field, ValidationError

from realtime import wire
from realtime.connection import CloseCode, Connection
from realtime.hub import Hub
from realtime.wire import ACK, ERROR, PONG
from server.access import Viewer
from server.actions import chat, push
from server.errors import AppError, ErrorCode, malformed
from server.validation import RecordId, Schema, SeenId, validation_error

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
RATE_PER_S = 20.0
BURST = 60.0
FLOOD_STRIKES = 200


class MessageSend(Schema):
    conversation_id: RecordId
    client_id: chat.ClientId
    body: chat.MessageBody


class Typing(Schema):
    conversation_id: RecordId


class Read(Schema):
    conversation_id: RecordId
    up_to_message_id: SeenId


class Received(Schema):
    seq: int = Field(ge=0, le=2**63 - 1)


class Budget:
    """A token bucket over the frames one socket sends."""

    def __init__(self) -> None:
        self.tokens = BURST
        self.stamp = time.monotonic()
        self.strikes = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.stamp) * RATE_PER_S)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.strikes = 0
            return True
        self.strikes += 1
        return False


@dataclass
class Client:
    """One socket's reading side: who it is, where it replies, its frame budget."""

    hub: Hub
    connection: Connection
    viewer: Viewer
    budget: Budget

    def error(self, error: AppError, **extra: Any) -> None:
        self.connection.reply(wire.frame(ERROR, error=error.as_dict(), **extra))


async def handle(client: Client, text: str) -> None:
    if not client.budget.take():
        _over_budget(client)
        return
    data: dict[str, Any] = {}
    try:
        if len(text) > MAX_FRAME_BYTES or len(text.encode()) > MAX_FRAME_BYTES:
            raise AppError(ErrorCode.TOO_LARGE, f"A frame may hold at most {MAX_FRAME_BYTES} bytes.")
        data = _parse(text)
        await HANDLERS[data["type"]](client, data)
    except AppError as error:
        client.error(error, **({"client_id": data["client_id"]} if isinstance(data.get("client_id"), str) else {}))
    except Exception:
        log.exception("a client frame failed")
        client.error(AppError(ErrorCode.INTERNAL, "The server could not handle this frame."))


def _over_budget(client: Client) -> None:
    if client.budget.strikes == 1:
        client.error(AppError(ErrorCode.RATE_LIMITED, "Too many frames; slow down.",
                              {"retry_after_s": 1, "frames_per_s": RATE_PER_S}))
    elif client.budget.strikes > FLOOD_STRIKES:
        client.connection.close(CloseCode.FLOODING)


def _parse(text: str) -> dict[str, Any]:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise malformed("A frame must be a JSON object.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise malformed('A frame must be a JSON object with a "type".')
    if data["type"] not in HANDLERS:
        raise malformed(f"Unknown frame type {data['type'][:40]!r}; expected one of {sorted(HANDLERS)}.")
    return data


def _check(schema: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise validation_error(error) from None


async def _message_send(client: Client, data: dict[str, Any]) -> None:
    frame = _check(MessageSend, data)
    message, _ = await chat.send_message(client.viewer, frame.conversation_id, frame.client_id, frame.body)
    client.connection.reply(wire.frame(ACK, client_id=frame.client_id, message_id=message.id))


async def _typing(client: Client, data: dict[str, Any]) -> None:
    frame = _check(Typing, data)
    await client.hub.send(await chat.typing(client.viewer, frame.conversation_id))


async def _read(client: Client, data: dict[str, Any]) -> None:
    frame = _check(Read, data)
    await chat.mark_read(client.viewer, frame.conversation_id, frame.up_to_message_id)


async def _received(client: Client, data: dict[str, Any]) -> None:
    frame = _check(Received, data)
    await push.acknowledge(client.viewer.id, client.connection.session_id, frame.seq)


async def _ping(client: Client, data: dict[str, Any]) -> None:
    client.connection.reply(wire.frame(PONG))


HANDLERS: dict[str, Callable[[Client, dict[str, Any]], Awaitable[None]]] = {
    "message.send": _message_send,
    "typing": _typing,
    "read": _read,
    "ping": _ping,
    "received": _received,
}
