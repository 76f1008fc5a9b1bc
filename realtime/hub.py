"""The connections of this process, and the broker traffic that reaches them.

Every process subscribes to two channels: `events` (batches of committed
events, see `realtime.wire`) and `control` (revoked sessions, typing and
presence). Whichever process handles a request publishes; every process
delivers to the sockets it holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from contextlib import AsyncExitStack
from typing import Any

import orjson

from realtime import wire
from realtime.broker import Broker
from realtime.connection import CloseCode, Connection
from server import control
from server.clock import utcnow
from server.events import Ephemeral
from server.metrics import EVENTS_DELIVERED
from server.transaction import CommittedEvent

log = logging.getLogger(__name__)

EVENTS = "events"
CONTROL = "control"


class Hub:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.by_user: dict[int, set[Connection]] = {}
        self.by_session: dict[int, set[Connection]] = {}
        self._stack = AsyncExitStack()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Subscribe before any socket is accepted, so no live event is missed."""
        events = await self._stack.enter_async_context(self.broker.subscribe(EVENTS))
        control = await self._stack.enter_async_context(self.broker.subscribe(CONTROL))
        self._tasks = [
            asyncio.create_task(self._consume(events, self._on_events)),
            asyncio.create_task(self._consume(control, self._on_control)),
        ]

    async def stop(self) -> None:
        for connection in self.connections():
            connection.close(CloseCode.GOING_AWAY)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._stack.aclose()

    def connections(self) -> list[Connection]:
        return [c for group in self.by_user.values() for c in group]

    def add(self, connection: Connection) -> bool:
        """Register a socket; True when it is the user's first one in this process."""
        group = self.by_user.setdefault(connection.user_id, set())
        group.add(connection)
        self.by_session.setdefault(connection.session_id, set()).add(connection)
        return len(group) == 1

    def remove(self, connection: Connection) -> bool:
        """Forget a socket; True when the user has no other one in this process."""
        group = self.by_user.get(connection.user_id, set())
        group.discard(connection)
        sessions = self.by_session.get(connection.session_id, set())
        sessions.discard(connection)
        if not sessions:
            self.by_session.pop(connection.session_id, None)
        if not group:
            self.by_user.pop(connection.user_id, None)
            return True
        return False

    # --- publishing (any process) ---

    async def publish_events(self, events: list[CommittedEvent]) -> None:
        """The transaction publisher: one broker message per commit."""
        await self.broker.publish(EVENTS, wire.encode_events(events))

    async def revoke(self, user_id: int | None, session_ids: list[int]) -> None:
        """Sessions ended (their sockets close), or with no session ids and no
        user: people changed, and every process forgets whom it remembers."""
        message: dict[str, Any] = {"kind": "revoke", "session_ids": session_ids}
        if user_id is None and not session_ids:
            message["everyone"] = True
        await self._control(message)

    async def send(self, event: Ephemeral | None) -> None:
        """An ephemeral event an action decided on (typing, presence), to its recipients' live sockets."""
        if event is not None:
            frame = wire.ephemeral_frame(event.type.value, utcnow().isoformat(), dict(event.data))
            await self.send_ephemeral(event.recipients, frame)

    async def send_ephemeral(self, user_ids: Iterable[int], frame: bytes) -> None:
        """Typing and presence: delivered to live sockets now, never stored."""
        recipients = sorted(set(user_ids))
        if recipients:
            await self._control({"kind": "ephemeral", "to": recipients, "frame": frame.decode()})

    async def _control(self, message: dict[str, Any]) -> None:
        await self.broker.publish(CONTROL, orjson.dumps(message))

    # --- delivering (every process) ---

    async def _consume(self, subscription: Any, handle: Any) -> None:
        async for message in subscription:
            try:
                handle(message)
            except Exception:
                log.exception("could not deliver a broker message")

    def _on_events(self, message: bytes) -> None:
        if not message:  # dropped or missed: every socket re-reads its log
            for connection in self.connections():
                connection.catch_up()
            return
        by_user = self.by_user
        delivered = 0
        for event in wire.decode_events(message):
            for user_id, seq in event.targets:
                group = by_user.get(user_id)
                if group:
                    frame = wire.event_frame(event, seq)
                    for connection in group:
                        delivered += connection.offer_event(seq, frame)
        if delivered:  # one count per broker message: the counter takes a lock
            EVENTS_DELIVERED.inc(delivered)

    def _on_control(self, message: bytes) -> None:
        if not message:  # dropped or missed: a revocation may be among them
            control.revoked_here(None)
            return
        data = orjson.loads(message)
        if data["kind"] == "revoke":
            control.revoked_here(None if data.get("everyone") else data["session_ids"])
            for session_id in data["session_ids"]:
                for connection in list(self.by_session.get(session_id, ())):
                    connection.close(CloseCode.REVOKED)
        elif data["kind"] == "ephemeral":
            frame = data["frame"].encode()
            for user_id in data["to"]:
                for connection in self.by_user.get(user_id, ()):
                    connection.offer_ephemeral(frame)
