"""The caller's reminders: list, snooze, cancel."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import tasks as s
from server.actions import reminders
from server.queries import reminders as q
from server.render.tasks import render_reminder


@api.get("/api/v1/reminders", query=s.RemindersQuery, response=s.ReminderList)
async def list_reminders(call: Call) -> Any:
    """The caller's reminders; `upcoming=true`: those still to fire, soonest first."""
    query = call.query
    return await q.list_reminders(call.viewer, upcoming=query.upcoming, limit=query.limit, cursor=query.cursor)


@api.post("/api/v1/reminders/{id:int}/snooze", body=s.SnoozeIn, response=s.Reminder, errors=(409,))
async def snooze_reminder(call: Call) -> Any:
    """Fire again `minutes` from now (also after it fired)."""
    return render_reminder(await reminders.snooze_reminder(call.viewer, call["id"], call.body.minutes))


@api.delete("/api/v1/reminders/{id:int}", status=204, errors=(409,))
async def cancel_reminder(call: Call) -> Any:
    """Cancel a reminder that has not fired (409 once it has)."""
    await reminders.cancel_reminder(call.viewer, call["id"])
