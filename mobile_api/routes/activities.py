"""Follow-up notes (联系小记) about customers."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import visits as s
from server.actions import activities
from server.localdays import day_span
from server.queries import visits as q
from server.render.visits import render_activity


@api.post("/api/v1/activities", body=s.ActivityIn, response=s.Activity, status=201, idempotent=True)
async def log_activity(call: Call) -> Any:
    """Record a call, visit, email, meeting or note; `next_contact_at` sets a follow-up reminder."""
    return render_activity(await activities.log_activity(call.viewer, call.body.model_dump()))


@api.get("/api/v1/activities", query=s.ActivitiesQuery, response=s.ActivityList)
async def list_activities(call: Call) -> Any:
    """Notes the caller may see, newest first; `date` is a day in the caller's time zone."""
    query = call.query
    since, until = day_span(query.date, call.viewer.user.timezone) if query.date else (None, None)
    return await q.list_activities(
        call.viewer, limit=query.limit, cursor=query.cursor, customer_id=query.customer_id,
        author_id=query.user_id, kind=query.kind, since=since, until=until,
    )


@api.get("/api/v1/activities/{id:int}", response=s.Activity)
async def get_activity(call: Call) -> Any:
    """One note."""
    return render_activity(await q.access_activity(call.viewer, call["id"]))
