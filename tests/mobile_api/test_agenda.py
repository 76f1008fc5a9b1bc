"""The agenda: a day in the caller's time zone, for oneself or (managers) a rep in scope."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from server.actions.reminders import schedule_reminder

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 12, 3)


def local(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = SHANGHAI) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute), zone).isoformat()


async def make(org, who: str, title: str, due_at: str, **fields) -> dict:
    response = await org.post(who, "/api/v1/tasks", {"title": title, "due_at": due_at, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_day_in_the_callers_zone_with_events_tasks_follow_ups_and_overdue(org):
    # Asia/Shanghai is UTC+8: 00:30 local on DAY is still the previous day in UTC.
    early = await make(org, "rep_east1", "Early call", local(DAY, 0, 30))
    late = await make(org, "rep_east1", "Evening report", local(DAY, 23, 30))
    await make(org, "rep_east1", "Next day", local(DAY + dt.timedelta(days=1), 0, 30))
    meeting = await make(org, "rep_east1", "Trade fair", local(DAY, 17), kind="event", start_at=local(DAY, 9))
    old = await make(org, "rep_east1", "Overdue quote", local(DAY - dt.timedelta(days=2), 10))
    done_old = await make(org, "rep_east1", "Done long ago", local(DAY - dt.timedelta(days=2), 11))
    await org.post("rep_east1", f"/api/v1/tasks/{done_old['id']}/complete")
    cancelled = await make(org, "rep_east1", "Called off", local(DAY, 12))
    await org.post("rep_east1", f"/api/v1/tasks/{cancelled['id']}/cancel")
    follow = await schedule_reminder(
        org.rep_east1.id, "follow_up", "上海瑞丽服装", dt.datetime.fromisoformat(local(DAY, 14)),
        link_type="activity", link_id=5,
    )
    await schedule_reminder(org.rep_east1.id, "follow_up", "Other day", dt.datetime.fromisoformat(local(DAY + dt.timedelta(days=1), 9)))
    response = await org.get("rep_east1", "/api/v1/agenda", params={"date": DAY.isoformat()})
    assert response.status_code == 200, response.text
    agenda = response.json()
    assert (agenda["date"], agenda["timezone"], agenda["user_id"]) == (DAY.isoformat(), "Asia/Shanghai", org.rep_east1.id)
    assert [t["id"] for t in agenda["tasks"]] == [early["id"], late["id"]]
    assert [t["id"] for t in agenda["events"]] == [meeting["id"]]
    assert [t["id"] for t in agenda["overdue"]] == [old["id"]]
    assert [(r["id"], r["title"], r["link"]) for r in agenda["follow_ups"]] == [
        (follow.id, "上海瑞丽服装", {"type": "activity", "id": 5})
    ]


async def test_the_day_follows_the_viewers_time_zone(org):
    await org.add_user("rep_ny", "rep", "east", timezone="America/New_York")
    ny = ZoneInfo("America/New_York")
    # 20:00 in New York on DAY is 09:00 the next day in Shanghai.
    task = await make(org, "rep_ny", "Call Shanghai", local(DAY, 20, zone=ny))
    mine = (await org.get("rep_ny", f"/api/v1/agenda?date={DAY.isoformat()}")).json()
    assert [t["id"] for t in mine["tasks"]] == [task["id"]] and mine["timezone"] == "America/New_York"


async def test_a_manager_opens_a_reps_agenda_in_scope_and_nobody_else_does(org):
    task = await make(org, "rep_sh", "Visit Pudong", local(DAY, 10))
    path = f"/api/v1/agenda?date={DAY.isoformat()}&user_id={org.rep_sh.id}"
    seen = await org.get("manager_east", path)
    assert seen.status_code == 200 and [t["id"] for t in seen.json()["tasks"]] == [task["id"]]
    assert (await org.get("admin", path)).status_code == 200
    for outsider in ("manager_west", "rep_east1", "rep_west"):
        response = await org.get(outsider, path)
        assert response.status_code == 404, outsider
        assert response.json()["error"]["code"] == "not_found"


async def test_agenda_defaults_to_today_and_refuses_bad_dates(org):
    today = dt.datetime.now(SHANGHAI).date()
    response = await org.get("rep_west", "/api/v1/agenda")
    assert response.status_code == 200 and response.json()["date"] == today.isoformat()
    for bad in ("2026-13-01", "tomorrow", "2026-02-30"):
        assert (await org.get("rep_west", f"/api/v1/agenda?date={bad}")).status_code == 422
    assert (await org.get("rep_west", "/api/v1/agenda?user_id=0")).status_code == 422
