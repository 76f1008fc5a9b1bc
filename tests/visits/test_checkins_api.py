"""Check-ins: distance, geofence, flags, refusals, check-out."""

from __future__ import annotations

import datetime as dt

from server import geo
from tests.visits.conftest import BEIJING, SHANGHAI, checkin_body, make_customer, now


async def test_checkin_at_the_customer_is_within_the_geofence(org):
    customer = await make_customer(org.rep_sh)
    here = (SHANGHAI[0] + 0.001, SHANGHAI[1])  # about 111 m north
    response = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, here, note="Met the buyer"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert abs(body["distance_m"] - geo.distance_m(*here, *SHANGHAI)) < 0.2
    assert 100 < body["distance_m"] < 120
    assert body["within_geofence"] is True and body["flags"] == []
    assert body["customer_id"] == customer.id and body["user_id"] == org.rep_sh.id
    again = await org.get("rep_sh", f"/api/v1/checkins/{body['id']}")
    assert again.json()["note"] == "Met the buyer"


async def test_far_from_the_customer_is_flagged(org):
    customer = await make_customer(org.rep_sh)
    here = (SHANGHAI[0] + 0.01, SHANGHAI[1])  # about 1.1 km
    body = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, here))).json()
    assert body["within_geofence"] is False
    assert body["distance_m"] > 500
    assert body["flags"] == ["far_from_customer"]


async def test_customer_without_location_gives_null_distance(org):
    customer = await make_customer(org.rep_sh, where=None)
    body = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id))).json()
    assert body["distance_m"] is None and body["within_geofence"] is None
    assert body["flags"] == []


async def test_low_accuracy_is_flagged_over_200_m(org):
    customer = await make_customer(org.rep_sh)
    exact = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, accuracy_m=200))).json()
    vague = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, accuracy_m=201))).json()
    assert "low_accuracy" not in exact["flags"]
    assert "low_accuracy" in vague["flags"]


async def test_offline_checkin_is_accepted_with_clock_skew(org):
    customer = await make_customer(org.rep_sh)
    slightly_fast = await org.post("rep_sh", "/api/v1/checkins",
                                   checkin_body(customer.id, at=now() + dt.timedelta(minutes=5)))
    assert slightly_fast.status_code == 201 and slightly_fast.json()["flags"] == []
    offline = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, at=now() - dt.timedelta(hours=70)))
    assert offline.status_code == 201, offline.text
    assert offline.json()["flags"] == ["clock_skew"]


async def test_too_old_or_future_captured_at_is_422(org):
    customer = await make_customer(org.rep_sh)
    for at, words in ((now() - dt.timedelta(hours=73), "72 hours"), (now() + dt.timedelta(minutes=11), "future")):
        response = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, at=at))
        assert response.status_code == 422, response.text
        assert words in response.json()["error"]["details"]["fields"]["captured_at"]


async def test_positions_off_the_globe_are_422_with_the_field(org):
    customer = await make_customer(org.rep_sh)
    cases = [({"lat": 90.5}, "lat", "must be between -90 and 90"), ({"lng": -181}, "lng", "must be between -180 and 180"),
             ({"lat": "31.2"}, "lat", "number"), ({"lng": None}, "lng", "number"), ({"lat": True}, "lat", "number")]
    for change, field, words in cases:
        response = await org.post("rep_sh", "/api/v1/checkins", {**checkin_body(customer.id), **change})
        assert response.status_code == 422, (change, response.text)
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert words in error["details"]["fields"][field]


async def test_nan_and_infinity_are_422_not_400(org):
    customer = await make_customer(org.rep_sh)
    for token, field in ((b"NaN", "lat"), (b"Infinity", "lat"), (b"-Infinity", "lng")):
        body = checkin_body(customer.id)
        raw = (b'{"customer_id": %d, "lat": %s, "lng": %s, "accuracy_m": 5, "captured_at": "%s"}' % (
            customer.id, token if field == "lat" else b"31.2", token if field == "lng" else b"121.4",
            body["captured_at"].encode()))
        response = await org.post("rep_sh", "/api/v1/checkins", content=raw,
                                  headers={"Content-Type": "application/json"})
        assert response.status_code == 422, response.text
        assert "finite" in response.json()["error"]["details"]["fields"][field]


async def test_time_without_offset_is_422(org):
    customer = await make_customer(org.rep_sh)
    body = checkin_body(customer.id, captured_at="2026-11-25T10:00:00")
    response = await org.post("rep_sh", "/api/v1/checkins", body)
    assert response.status_code == 422
    assert "captured_at" in response.json()["error"]["details"]["fields"]


async def test_customer_the_rep_cannot_see_is_404(org):
    theirs = await make_customer(org.rep_west, name="Westwind Foods")
    response = await org.post("rep_sh", "/api/v1/checkins", checkin_body(theirs.id))
    assert response.status_code == 404
    missing = await org.post("rep_sh", "/api/v1/checkins", checkin_body(999_999))
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == response.json()["error"]["message"]


async def test_impossible_travel_compares_with_the_previous_checkin(org):
    shanghai = await make_customer(org.rep_sh)
    beijing = await make_customer(org.rep_sh, name="Jinghua Trading", where=BEIJING)
    start = now() - dt.timedelta(hours=5)
    await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, at=start))
    flew = (await org.post("rep_sh", "/api/v1/checkins",
                           checkin_body(beijing.id, BEIJING, at=start + dt.timedelta(hours=1)))).json()
    assert "impossible_travel" in flew["flags"]  # 1,068 km in an hour
    train = (await org.post("rep_sh", "/api/v1/checkins",
                            checkin_body(beijing.id, BEIJING, at=start + dt.timedelta(hours=4)))).json()
    assert "impossible_travel" not in train["flags"]


async def test_other_reps_checkins_do_not_count_for_travel(org):
    shanghai = await make_customer(org.rep_sh)
    beijing = await make_customer(org.rep_east1, name="Jinghua Trading", where=BEIJING)
    start = now() - dt.timedelta(hours=2)
    await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, at=start))
    other = (await org.post("rep_east1", "/api/v1/checkins",
                            checkin_body(beijing.id, BEIJING, at=start + dt.timedelta(minutes=30)))).json()
    assert "impossible_travel" not in other["flags"]


async def test_offline_checkin_inserted_between_is_compared_by_capture_time(org):
    shanghai = await make_customer(org.rep_sh)
    beijing = await make_customer(org.rep_sh, name="Jinghua Trading", where=BEIJING)
    start = now() - dt.timedelta(hours=6)
    first = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, at=start))).json()
    later = (await org.post("rep_sh", "/api/v1/checkins",
                            checkin_body(shanghai.id, at=start + dt.timedelta(hours=2)))).json()
    assert "impossible_travel" not in later["flags"] + first["flags"]
    # Arrives last but was captured between them, 1,068 km away from both.
    offline = (await org.post("rep_sh", "/api/v1/checkins",
                              checkin_body(beijing.id, BEIJING, at=start + dt.timedelta(hours=1)))).json()
    assert "impossible_travel" in offline["flags"]
    later_now = (await org.get("rep_sh", f"/api/v1/checkins/{later['id']}")).json()
    assert "impossible_travel" in later_now["flags"]
    first_now = (await org.get("rep_sh", f"/api/v1/checkins/{first['id']}")).json()
    assert first_now["flags"] == ["clock_skew"]  # the earlier neighbour's own leg was fine


async def test_offline_checkin_that_fits_the_route_is_not_flagged(org):
    shanghai = await make_customer(org.rep_sh)
    start = now() - dt.timedelta(hours=6)
    await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, at=start))
    await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, BEIJING, at=start + dt.timedelta(hours=5)))
    # Sent after the Beijing one, captured before it: compared with the Shanghai fix, not the Beijing one.
    offline = (await org.post("rep_sh", "/api/v1/checkins",
                              checkin_body(shanghai.id, at=start + dt.timedelta(minutes=30)))).json()
    assert "impossible_travel" not in offline["flags"]


async def test_checkout_gives_the_duration_once(org):
    customer = await make_customer(org.rep_sh)
    arrived = now() - dt.timedelta(minutes=50)
    checkin = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, at=arrived))).json()
    out = {"lat": SHANGHAI[0], "lng": SHANGHAI[1], "captured_at": (arrived + dt.timedelta(minutes=45)).isoformat()}
    response = await org.post("rep_sh", f"/api/v1/checkins/{checkin['id']}/checkout", out)
    assert response.status_code == 200, response.text
    assert response.json()["duration_s"] == 45 * 60
    assert response.json()["checkout_at"] is not None
    twice = await org.post("rep_sh", f"/api/v1/checkins/{checkin['id']}/checkout", out)
    assert twice.status_code == 409 and "already checked out" in twice.json()["error"]["message"]


async def test_checkout_of_someone_elses_checkin_is_refused(org):
    customer = await make_customer(org.rep_sh)
    checkin = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id))).json()
    out = {"lat": SHANGHAI[0], "lng": SHANGHAI[1], "captured_at": now().isoformat()}
    path = f"/api/v1/checkins/{checkin['id']}/checkout"
    assert (await org.post("manager_east", path, out)).status_code == 403  # sees it, not theirs
    assert (await org.post("rep_west", path, out)).status_code == 404  # cannot see it
    assert (await org.post("rep_sh", path, out)).status_code == 200


async def test_checkout_before_checkin_or_off_the_globe_is_422(org):
    customer = await make_customer(org.rep_sh)
    arrived = now() - dt.timedelta(minutes=10)
    checkin = (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, at=arrived))).json()
    path = f"/api/v1/checkins/{checkin['id']}/checkout"
    early = await org.post("rep_sh", path, {"lat": 31.2, "lng": 121.4,
                                            "captured_at": (arrived - dt.timedelta(minutes=1)).isoformat()})
    assert early.status_code == 422 and "before" in early.json()["error"]["details"]["fields"]["captured_at"]
    off = await org.post("rep_sh", path, {"lat": 31.2, "lng": 200, "captured_at": now().isoformat()})
    assert off.status_code == 422 and "lng" in off.json()["error"]["details"]["fields"]
    assert (await org.get("rep_sh", f"/api/v1/checkins/{checkin['id']}")).json()["checkout_at"] is None


async def test_checkin_posts_to_the_feed_and_replays_with_idempotency_key(org):
    from server.models.feed import FeedItem
    from server.models.visits import CheckIn

    customer = await make_customer(org.rep_sh)
    headers = {"Idempotency-Key": "visit-1"}
    body = checkin_body(customer.id)
    first = await org.post("rep_sh", "/api/v1/checkins", body, headers=headers)
    again = await org.post("rep_sh", "/api/v1/checkins", body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert await CheckIn.filter(user_id=org.rep_sh.id).count() == 1
    items = await FeedItem.filter(kind="checkin", author_id=org.rep_sh.id)
    assert len(items) == 1 and items[0].subject_id == customer.id
