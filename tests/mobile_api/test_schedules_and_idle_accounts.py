"""Colleagues read each other's schedule (busy times, titles of tasks not marked
private), and a rep idle for N days is locked until an administrator unlocks them."""

from __future__ import annotations

import datetime as dt

import pytest

from server.clock import utcnow
from server.models.identity import Session, User
from tests.conftest import PASSWORD


def today_at(hours: float) -> str:
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return (start + dt.timedelta(hours=hours)).isoformat()


async def plan_a_day(org) -> tuple[dict, dict]:
    """rep_east2's day: one event anyone may read about, one private task."""
    event = await org.post("rep_east2", "/api/v1/tasks", {
        "kind": "event", "title": "拜访扬州五环", "notes": "带样品", "start_at": today_at(5), "due_at": today_at(6)})
    task = await org.post("rep_east2", "/api/v1/tasks", {
        "title": "体检", "notes": "私事", "due_at": today_at(7), "private": True})
    assert event.status_code == task.status_code == 201, (event.text, task.text)
    return event.json(), task.json()


async def schedule(org, who: str, user_id: int, day: str):
    return await org.get(who, f"/api/v1/users/{user_id}/schedule", params={"date": day})


async def test_a_colleague_sees_busy_times_and_only_public_titles(org) -> None:
    event, task = await plan_a_day(org)
    assert task["private"] is True and event["private"] is False
    day = dt.datetime.fromisoformat(event["start_at"]).astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    response = await schedule(org, "rep_east1", org.rep_east2.id, day)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user_id"] == org.rep_east2.id
    by_kind = {slot["kind"]: slot for slot in body["busy"]}
    assert by_kind["event"] == {"kind": "event", "start_at": event["start_at"], "due_at": event["due_at"],
                                "status": "open", "private": False, "title": "拜访扬州五环"}
    assert by_kind["task"]["title"] is None and by_kind["task"]["private"] is True
    assert "带样品" not in response.text and "私事" not in response.text and "体检" not in response.text


async def test_only_the_same_department_or_a_manager_reads_a_schedule(org) -> None:
    await plan_a_day(org)
    for who, status in [("rep_east1", 200), ("rep_east2", 200), ("manager_east", 200), ("admin", 200),
                        ("rep_sh", 404), ("rep_west", 404), ("manager_west", 404)]:
        assert (await schedule(org, who, org.rep_east2.id, "2026-12-01")).status_code == status, who
    assert (await schedule(org, "rep_east1", 999999, "2026-12-01")).status_code == 404


async def test_private_is_a_task_field_and_not_null(org) -> None:
    _, task = await plan_a_day(org)
    response = await org.patch("rep_east2", f"/api/v1/tasks/{task['id']}", {"private": None})
    assert response.status_code == 422
    response = await org.patch("rep_east2", f"/api/v1/tasks/{task['id']}", {"private": False})
    assert response.status_code == 200 and response.json()["private"] is False


async def login(org, who: str):
    return await org.client.post("/api/v1/auth/login", json={"login": org.users[who].login, "password": PASSWORD})


async def idle_for(user: User, days: float) -> None:
    await User.filter(id=user.id).update(last_active_at=utcnow() - dt.timedelta(days=days))


async def test_a_rep_idle_for_30_days_is_locked_until_an_admin_unlocks(org) -> None:
    await idle_for(org.rep_west, 31)
    response = await login(org, "rep_west")
    assert response.status_code == 423, response.text
    assert response.json()["error"]["details"] == {"reason": "inactive"}
    assert (await org.get("admin", f"/api/v1/users/{org.rep_west.id}")).json()["locked"] is True
    await idle_for(org.rep_west, 0)  # a fresh date does not lift the lock: only an administrator does
    assert (await login(org, "rep_west")).status_code == 423
    assert (await org.post("admin", f"/api/v1/users/{org.rep_west.id}/unlock")).status_code == 200
    assert (await login(org, "rep_west")).status_code == 200


async def test_signing_in_and_refreshing_count_as_activity(org) -> None:
    await idle_for(org.rep_west, 29)
    signed_in = await login(org, "rep_west")
    assert signed_in.status_code == 200
    fresh = (await User.get(id=org.rep_west.id)).last_active_at
    assert utcnow() - fresh < dt.timedelta(minutes=1)
    await idle_for(org.rep_west, 29)
    refreshed = await org.client.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"]})
    assert refreshed.status_code == 200
    assert utcnow() - (await User.get(id=org.rep_west.id)).last_active_at < dt.timedelta(minutes=1)


async def test_an_idle_rep_cannot_refresh_and_their_sessions_end(org) -> None:
    signed_in = await login(org, "rep_west")
    await idle_for(org.rep_west, 31)
    refreshed = await org.client.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"]})
    assert refreshed.status_code == 423, refreshed.text
    assert not await Session.filter(user_id=org.rep_west.id, revoked_at=None).exists()


async def test_managers_and_admins_are_not_locked_for_idleness(org) -> None:
    for who in ("manager_west", "admin"):
        await idle_for(org.users[who], 400)
        assert (await login(org, who)).status_code == 200, who


class TestLockOff:
    @pytest.fixture
    def test_env(self, test_env: dict[str, str]) -> dict[str, str]:
        return {**test_env, "FIELDLINE_INACTIVITY_LOCK_DAYS": "0"}

    async def test_zero_days_never_locks(self, org) -> None:
        await idle_for(org.rep_west, 400)
        assert (await login(org, "rep_west")).status_code == 200
