"""Reading a person's own reminders (nobody sees anyone else's)."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from server.access import Viewer
from server.models.reminders import Reminder
from server.paging import encode_cursor, newest_first, page, time_id_cursor
from server.render.tasks import render_reminder


async def list_reminders(viewer: Viewer, *, upcoming: bool, limit: int, cursor: str | None) -> dict[str, Any]:
    """All of the caller's reminders newest first, or with `upcoming` those still to fire, soonest first."""
    qs = Reminder.filter(user_id=viewer.id)
    if not upcoming:
        rows, next_cursor = await newest_first(qs, limit, cursor)
    else:
        rows, next_cursor = await _soonest_first(qs.filter(status="scheduled"), limit, cursor)
    return page([render_reminder(r) for r in rows], next_cursor)


async def _soonest_first(qs: Any, limit: int, cursor: str | None) -> tuple[list[Reminder], str | None]:
    key = time_id_cursor(cursor)
    if key is not None:
        stamp, last_id = key
        qs = qs.filter(Q(fire_at__gt=stamp) | Q(fire_at=stamp, id__gt=last_id))
    rows = await qs.order_by("fire_at", "id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return rows, (encode_cursor([last.fire_at.isoformat(), last.id]) if more and last else None)
