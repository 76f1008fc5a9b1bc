"""The team's day: who sees which check-ins, days in the viewer's zone, the GeoJSON map."""

from __future__ import annotations

import jsonschema

from tests.visits.conftest import make_customer, utc

POSITION = {"type": "array", "minItems": 2, "maxItems": 3,
            "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                            {"type": "number", "minimum": -90, "maximum": 90}],
            "items": {"type": "number"}}
GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {"$ref": "#/$defs/feature"}},
    },
    "$defs": {
        "feature": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["string", "number"]},
                "properties": {"type": ["object", "null"]},
                "geometry": {"oneOf": [{"$ref": "#/$defs/point"}, {"$ref": "#/$defs/line"}]},
            },
        },
        "point": {"type": "object", "required": ["type", "coordinates"],
                  "properties": {"type": {"const": "Point"}, "coordinates": POSITION}},
        "line": {"type": "object", "required": ["type", "coordinates"],
                 "properties": {"type": {"const": "LineString"},
                                "coordinates": {"type": "array", "minItems": 2, "items": POSITION}}},
    },
}


async def _checkin(user, customer, at, where=(31.2304, 121.4737), **extra):
    from server.models.visits import CheckIn

    return await CheckIn.create(user_id=user.id, customer_id=customer.id, lat=where[0], lng=where[1],
                                accuracy_m=10, captured_at=at, flags=extra.pop("flags", []), photo_ids=[], **extra)


async def _seed(org):
    sh = await make_customer(org.rep_sh, name="瑞丽服装")
    east = await make_customer(org.rep_east1, name="Donghai Tools")
    west = await make_customer(org.rep_west, name="Westwind Foods")
    day = [
        await _checkin(org.rep_sh, sh, utc(2026, 11, 25, 1, 0), (31.2304, 121.4737)),
        await _checkin(org.rep_sh, sh, utc(2026, 11, 25, 3, 0), (31.2400, 121.5000), flags=["far_from_customer"],
                       duration_s=1800),
        await _checkin(org.rep_east1, east, utc(2026, 11, 25, 2, 0), (30.2741, 120.1551)),
        await _checkin(org.rep_west, west, utc(2026, 11, 25, 2, 0), (30.5728, 104.0668)),
    ]
    await _checkin(org.rep_sh, sh, utc(2026, 11, 24, 15, 59))  # 23:59 on the 24th in Shanghai
    return day


async def test_manager_sees_the_team_day_in_time_order(org):
    sh1, sh2, east1, _ = await _seed(org)
    body = (await org.get("manager_east", "/api/v1/checkins?date=2026-11-25")).json()
    assert [c["id"] for c in body["items"]] == [sh1.id, east1.id, sh2.id]
    only_sh = (await org.get("manager_east", f"/api/v1/checkins?date=2026-11-25&user_id={org.rep_sh.id}")).json()
    assert [c["id"] for c in only_sh["items"]] == [sh1.id, sh2.id]
    dept = org.departments["east_sh"].id
    by_dept = (await org.get("manager_east", f"/api/v1/checkins?date=2026-11-25&department_id={dept}")).json()
    assert [c["id"] for c in by_dept["items"]] == [sh1.id, sh2.id]


async def test_rep_sees_only_their_own(org):
    sh1, sh2, *_ = await _seed(org)
    own = (await org.get("rep_sh", "/api/v1/checkins?date=2026-11-25")).json()
    assert [c["id"] for c in own["items"]] == [sh1.id, sh2.id]
    other = await org.get("rep_sh", f"/api/v1/checkins?date=2026-11-25&user_id={org.rep_east1.id}")
    assert other.status_code == 403
    west = org.departments["west"].id
    assert (await org.get("manager_east", f"/api/v1/checkins?department_id={west}")).status_code == 403
    assert (await org.get("rep_west", f"/api/v1/checkins/{sh1.id}")).status_code == 404


async def test_date_is_a_day_in_the_viewers_time_zone(org):
    await _seed(org)
    await org.add_user("boss_la", "admin", "hq", timezone="America/Los_Angeles")
    # 2026-11-24 in Los Angeles runs from 08:00 UTC on the 24th to 08:00 UTC on the 25th.
    la_day = (await org.get("boss_la", "/api/v1/checkins?date=2026-11-24")).json()["items"]
    assert [c["captured_at"] for c in la_day] == [
        "2026-11-24T15:59:00+00:00", "2026-11-25T01:00:00+00:00", "2026-11-25T02:00:00+00:00",
        "2026-11-25T02:00:00+00:00", "2026-11-25T03:00:00+00:00",
    ]
    sh_day = (await org.get("admin", "/api/v1/checkins?date=2026-11-24")).json()["items"]
    assert [c["captured_at"] for c in sh_day] == ["2026-11-24T15:59:00+00:00"]


async def test_paging_through_a_day(org):
    await _seed(org)
    first = (await org.get("admin", "/api/v1/checkins?date=2026-11-25&limit=3")).json()
    second = (await org.get("admin", f"/api/v1/checkins?date=2026-11-25&limit=3&cursor={first['next_cursor']}")).json()
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert len(ids) == 4 and len(set(ids)) == 4 and second["next_cursor"] is None
    bad = await org.get("admin", "/api/v1/checkins?cursor=not-a-cursor")
    assert bad.status_code == 422


async def test_geojson_is_a_valid_feature_collection_with_routes(org):
    sh1, sh2, east1, _ = await _seed(org)
    response = await org.get("manager_east", "/api/v1/checkins.geojson?date=2026-11-25")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    jsonschema.validate(collection, GEOJSON_SCHEMA)
    points = {f["properties"]["checkin_id"]: f for f in collection["features"] if f["geometry"]["type"] == "Point"}
    assert set(points) == {sh1.id, sh2.id, east1.id}
    assert points[sh1.id]["geometry"]["coordinates"] == [121.4737, 31.2304]  # [lng, lat]
    props = points[sh2.id]["properties"]
    assert props["customer"]["name"] == "瑞丽服装" and props["flags"] == ["far_from_customer"]
    assert props["duration_s"] == 1800 and props["captured_at"] == "2026-11-25T03:00:00+00:00"
    routes = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"]
    assert len(routes) == 1  # rep_east1 has a single stop: no line
    assert routes[0]["properties"]["user_id"] == org.rep_sh.id
    assert routes[0]["geometry"]["coordinates"] == [[121.4737, 31.2304], [121.5, 31.24]]


async def test_schema_rejects_swapped_or_short_coordinates():
    """The test schema itself can fail: lat/lng swapped out of range, one-point lines."""
    bad_point = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [31.2, 121.4]}}]}
    short_line = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[121.4, 31.2]]}}]}
    for document in (bad_point, short_line):
        try:
            jsonschema.validate(document, GEOJSON_SCHEMA)
        except jsonschema.ValidationError:
            continue
        raise AssertionError(f"accepted {document}")


async def test_empty_day_is_an_empty_collection(org):
    collection = (await org.get("rep_sh", "/api/v1/checkins.geojson?date=2026-01-01")).json()
    assert collection == {"type": "FeatureCollection", "features": []}
