"""Dashboards: funnel, leaderboard and quota progress, each within what the viewer may see."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.visits.conftest import make_customer, utc


async def _deal(owner, customer, amount, stage="lead", status="open", closed_at=None):
    from server.models.customers import Opportunity

    return await Opportunity.create(customer_id=customer.id, name=f"Deal {amount}", owner_id=owner.id,
                                    amount=amount, stage=stage, status=status, closed_at=closed_at)


async def _checkin(user, customer, at):
    from server.models.visits import CheckIn

    return await CheckIn.create(user_id=user.id, customer_id=customer.id, lat=31.2, lng=121.4, accuracy_m=10,
                                captured_at=at, flags=[], photo_ids=[])


async def _note(user, customer, at, reached=True):
    from server.models.visits import Activity

    return await Activity.create(author_id=user.id, customer_id=customer.id, kind="call", content="x",
                                 reached=reached, created_at=at)


@pytest.fixture
async def deals(org):
    sh = await make_customer(org.rep_sh)
    east = await make_customer(org.rep_east1, name="Donghai Tools")
    west = await make_customer(org.rep_west, name="Westwind Foods")
    await _deal(org.rep_sh, sh, "1000.50", "lead")
    await _deal(org.rep_sh, sh, "2000.25", "lead")
    await _deal(org.rep_sh, sh, "500", "proposal")
    await _deal(org.rep_sh, sh, "9000", "negotiation", "won", utc(2026, 11, 20, 4))
    await _deal(org.rep_east1, east, "300", "qualified")
    await _deal(org.rep_east1, east, "700", "proposal", "lost", utc(2026, 11, 21, 4))
    await _deal(org.rep_west, west, "100000", "lead")
    return sh, east, west


def _stage(funnel, name):
    return next(s for s in funnel["stages"] if s["stage"] == name)


async def test_funnel_counts_and_amounts_per_stage_for_the_team(org, deals):
    funnel = (await org.get("manager_east", "/api/v1/stats/funnel?scope=team")).json()
    assert _stage(funnel, "lead") == {"stage": "lead", "count": 2, "amount": 3000.75}
    assert _stage(funnel, "qualified")["count"] == 1 and _stage(funnel, "proposal")["amount"] == 500.0
    assert _stage(funnel, "negotiation") == {"stage": "negotiation", "count": 0, "amount": 0.0}
    assert funnel["won"] == {"count": 1, "amount": 9000.0}
    assert funnel["lost"] == {"count": 1, "amount": 700.0}


async def test_funnel_respects_visibility_and_scope(org, deals):
    rep = (await org.get("rep_sh", "/api/v1/stats/funnel")).json()
    assert _stage(rep, "lead")["count"] == 2 and _stage(rep, "qualified")["count"] == 0
    assert rep["lost"]["count"] == 0
    admin = (await org.get("admin", "/api/v1/stats/funnel?scope=all")).json()
    assert _stage(admin, "lead") == {"stage": "lead", "count": 3, "amount": 103000.75}
    mine = (await org.get("admin", "/api/v1/stats/funnel?scope=mine")).json()
    assert all(s["count"] == 0 for s in mine["stages"])
    assert (await org.get("admin", "/api/v1/stats/funnel?scope=galaxy")).status_code == 422


async def test_leaderboard_ranks_reps_in_scope(org, deals):
    sh, east, _ = deals
    cold = await make_customer(org.rep_east1, name="Cold Lead", level="0")
    for hour in (1, 2, 3):
        await _checkin(org.rep_east1, east, utc(2026, 11, 20, hour))
    await _checkin(org.rep_east1, cold, utc(2026, 11, 20, 5))  # level 0: a check-in but not effective
    await _note(org.rep_east1, east, utc(2026, 11, 20, 6), reached=False)  # not reached
    await _note(org.rep_sh, sh, utc(2026, 11, 20, 6))
    await _checkin(org.rep_sh, sh, utc(2026, 11, 30, 6))  # outside the range
    board = (await org.get("manager_east", "/api/v1/stats/leaderboard?from=2026-11-01&to=2026-11-25")).json()
    rows = {r["user_id"]: r for r in board["items"]}
    assert set(rows) == {org.rep_sh.id, org.rep_east1.id, org.rep_east2.id}
    assert board["items"][0]["user_id"] == org.rep_sh.id and board["items"][0]["rank"] == 1
    figures = ("won_amount", "open_pipeline", "effective_contacts", "checkins")
    assert [rows[org.rep_sh.id][f] for f in figures] == [9000.0, 3500.75, 1, 0]
    assert (rows[org.rep_east1.id]["effective_contacts"], rows[org.rep_east1.id]["checkins"]) == (3, 4)
    assert rows[org.rep_east1.id]["open_pipeline"] == 300.0
    own = (await org.get("rep_east1", "/api/v1/stats/leaderboard?from=2026-11-01&to=2026-11-25")).json()
    assert [r["user_id"] for r in own["items"]] == [org.rep_east1.id]


async def test_leaderboard_range_excludes_won_deals_outside_it(org, deals):
    board = (await org.get("manager_east", "/api/v1/stats/leaderboard?from=2026-11-21&to=2026-11-25")).json()
    row = next(r for r in board["items"] if r["user_id"] == org.rep_sh.id)
    assert row["won_amount"] == 0.0


async def test_bad_ranges_are_422(org):
    backwards = await org.get("admin", "/api/v1/stats/leaderboard?from=2026-11-25&to=2026-11-01")
    assert backwards.status_code == 422 and "to" in backwards.json()["error"]["details"]["fields"]
    too_long = await org.get("admin", "/api/v1/stats/activity?from=2024-01-01&to=2026-01-01")
    assert too_long.status_code == 422
    not_a_date = await org.get("admin", "/api/v1/stats/activity?from=yesterday")
    assert not_a_date.status_code == 422


async def test_activity_shows_daily_quota_progress(org):
    customer = await make_customer(org.rep_sh, created_at=utc(2026, 11, 1))
    day = utc(2026, 11, 24, 16, 30)  # 00:30 on the 25th in Shanghai
    for minute in range(7):
        await _note(org.rep_sh, customer, day + dt.timedelta(minutes=minute))
    await _checkin(org.rep_sh, customer, utc(2026, 11, 25, 8))
    for n in range(3):
        await make_customer(org.rep_sh, name=f"Key {n}", level="A", created_at=utc(2026, 11, 24, 2))
    stats = (await org.get("manager_east",
                           f"/api/v1/stats/activity?user_id={org.rep_sh.id}&from=2026-11-24&to=2026-11-25")).json()
    assert stats["targets"] == {"effective_contacts": 35, "new_key_customers": 3}
    by_day = {d["date"]: d for d in stats["days"]}
    assert by_day["2026-11-25"]["effective_contacts"] == 8 and by_day["2026-11-25"]["checkins"] == 1
    assert by_day["2026-11-25"]["progress"] == {"effective_contacts": round(8 / 35, 3), "new_key_customers": 0.0}
    assert by_day["2026-11-24"]["new_key_customers"] == 3
    assert by_day["2026-11-24"]["progress"]["new_key_customers"] == 1.0
    assert by_day["2026-11-24"]["quota_met"] is False
    assert stats["totals"]["effective_contacts"] == 8 and stats["totals"]["new_customers"] == 3


async def test_activity_of_someone_outside_scope_is_403(org):
    assert (await org.get("rep_sh", f"/api/v1/stats/activity?user_id={org.rep_east1.id}")).status_code == 403
    assert (await org.get("manager_west", f"/api/v1/stats/activity?user_id={org.rep_sh.id}")).status_code == 403
    own = await org.get("rep_sh", "/api/v1/stats/activity")
    assert own.status_code == 200 and own.json()["user_id"] == org.rep_sh.id and len(own.json()["days"]) == 1
