"""Reading a user's durable event log for replay (written by `server.transaction`):
each log row's seq with its event's type, payload and time (`events`, joined)."""

from __future__ import annotations

import datetime as dt

from realtime.wire import log_frame
from server.models.events import EventCounter, EventLogEntry


async def last_seq(user_id: int) -> int:
    counter = await EventCounter.get_or_none(user_id=user_id)
    return counter.last_seq if counter else 0


async def first_after(user_id: int, since: int) -> tuple[int, dt.datetime] | None:
    """The oldest retained event after `since` (seq and time), if any."""
    rows = await (
        EventLogEntry.filter(user_id=user_id, seq__gt=since)
        .order_by("seq")
        .limit(1)
        .values_list("seq", "event__created_at")
    )
    return (rows[0][0], rows[0][1]) if rows else None


async def frames_after(user_id: int, after: int, limit: int) -> list[tuple[int, bytes]]:
    """Up to `limit` events after seq `after`, in order, as socket frames."""
    rows = await (
        EventLogEntry.filter(user_id=user_id, seq__gt=after)
        .order_by("seq")
        .limit(limit)
        .values_list("seq", "event__type", "event__data", "event__created_at")
    )
    return [(seq, log_frame(seq, type_, data, created_at)) for seq, type_, data, created_at in rows]
