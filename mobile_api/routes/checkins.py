"""Geo-tagged check-ins, check-outs and the team's day on a map."""

from __future__ import annotations

from typing import Any

from mobile_api.responses import json_response
from mobile_api.routing import Call, api
from mobile_api.schemas import visits as s
from server.actions import checkins
from server.clock import utcnow
from server.localdays import local_date
from server.queries import team_day as q
from server.queries.visits import access_checkin
from server.render.visits import render_checkin


def _day(call: Call) -> Any:
    return call.query.date or local_date(utcnow(), call.viewer.user.timezone)


@api.post("/api/v1/checkins", body=s.CheckInIn, response=s.CheckIn, status=201, idempotent=True)
async def check_in(call: Call) -> Any:
    """Check in at a customer: distance to it, geofence and the flags a manager may doubt."""
    return render_checkin(await checkins.check_in(call.viewer, call.body.model_dump()))


@api.post("/api/v1/checkins/{id:int}/checkout", body=s.CheckOutIn, response=s.CheckIn, errors=(403, 409))
async def check_out(call: Call) -> Any:
    """Check out of one's own visit (once); the answer carries `duration_s`."""
    return render_checkin(await checkins.check_out(call.viewer, call["id"], call.body.model_dump()))


@api.get("/api/v1/checkins/{id:int}", response=s.CheckIn)
async def get_checkin(call: Call) -> Any:
    """One check-in."""
    return render_checkin(await access_checkin(call.viewer, call["id"]))


@api.get("/api/v1/checkins", query=s.TeamDayQuery, response=s.CheckInList, errors=(403,))
async def team_day(call: Call) -> Any:
    """A day's check-ins in capture order: a manager's team, a rep's own (`date` in the caller's zone)."""
    query = call.query
    return await q.team_day(call.viewer, _day(call), user_id=query.user_id, department_id=query.department_id,
                            limit=query.limit, cursor=query.cursor)


@api.get("/api/v1/checkins.geojson", query=s.MapQuery, response=s.FeatureCollection,
         produces="application/geo+json", errors=(403,))
async def team_day_map(call: Call) -> Any:
    """The same day as a GeoJSON FeatureCollection: a Point per check-in, a LineString per route."""
    query = call.query
    collection = await q.team_day_geojson(call.viewer, _day(call), user_id=query.user_id,
                                          department_id=query.department_id)
    response = json_response(collection)
    response.headers["content-type"] = "application/geo+json"
    return response
