"""A team's check-ins for a day: as a list, and as a GeoJSON map with routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q

from server.access import Viewer
from server.localdays import day_span
from server.models.customers import Customer
from server.models.visits import CheckIn
from server.paging import encode_cursor, page, time_id_cursor
from server.queries.team import scope_user_ids
from server.render import iso
from server.render.visits import render_checkin

# A map of one day is one answer; a day with more check-ins than this is cut.
MAP_LIMIT = 5000


async def _day_query(viewer: Viewer, day: dt.date, user_id: int | None, department_id: int | None) -> Any:
    people = await scope_user_ids(viewer, user_id=user_id, department_id=department_id)
    start, end = day_span(day, viewer.user.timezone)
    return CheckIn.filter(user_id__in=list(people), captured_at__gte=start, captured_at__lt=end)


def _after(cursor: str | None) -> Q | None:
    key = time_id_cursor(cursor)
    if key is None:
        return None
    stamp, last_id = key
    return Q(captured_at__gt=stamp) | Q(captured_at=stamp, id__gt=last_id)


async def team_day(
    viewer: Viewer, day: dt.date, *, user_id: int | None, department_id: int | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Check-ins of the day in time order (by when they were captured)."""
    qs = await _day_query(viewer, day, user_id, department_id)
    after = _after(cursor)
    if after is not None:
        qs = qs.filter(after)
    rows = await qs.order_by("captured_at", "id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([iso(rows[-1].captured_at), rows[-1].id]) if more and rows else None
    return {"date": day.isoformat(), **page([render_checkin(c) for c in rows], next_cursor)}


async def team_day_geojson(
    viewer: Viewer, day: dt.date, *, user_id: int | None, department_id: int | None
) -> dict[str, Any]:
    """A FeatureCollection: a Point per check-in and a LineString per rep's route.

    Positions are [lng, lat] as GeoJSON (RFC 7946) requires. A rep with a
    single check-in has no route (a LineString needs two positions).
    """
    qs = await _day_query(viewer, day, user_id, department_id)
    rows = await qs.order_by("user_id", "captured_at", "id").limit(MAP_LIMIT)
    names = dict(await Customer.filter(id__in=list({c.customer_id for c in rows})).values_list("id", "name"))
    features = [_point(c, names.get(c.customer_id)) for c in rows]
    routes: dict[int, list[CheckIn]] = {}
    for checkin in rows:
        routes.setdefault(checkin.user_id, []).append(checkin)
    features += [_route(user_id, stops) for user_id, stops in routes.items() if len(stops) >= 2]
    return {"type": "FeatureCollection", "features": features}


def _point(checkin: CheckIn, customer_name: str | None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"checkin-{checkin.id}",
        "geometry": {"type": "Point", "coordinates": [checkin.lng, checkin.lat]},
        "properties": {
            "kind": "checkin",
            "checkin_id": checkin.id,
            "user_id": checkin.user_id,
            "customer": {"id": checkin.customer_id, "name": customer_name},
            "captured_at": iso(checkin.captured_at),
            "flags": list(checkin.flags or []),
            "duration_s": checkin.duration_s,
            "distance_m": checkin.distance_m,
            "within_geofence": checkin.within_geofence,
        },
    }


def _route(user_id: int, stops: list[CheckIn]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"route-{user_id}",
        "geometry": {"type": "LineString", "coordinates": [[c.lng, c.lat] for c in stops]},
        "properties": {
            "kind": "route",
            "user_id": user_id,
            "checkin_ids": [c.id for c in stops],
            "from": iso(stops[0].captured_at),
            "to": iso(stops[-1].captured_at),
        },
    }
