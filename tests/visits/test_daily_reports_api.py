"""Daily reports: one per person per day, figures of the author's local day,
the late rule, history, who is missing, and the reminder before the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.visits.conftest import make_customer, utc

LA = "America/Los_Angeles"


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    """The report deadline at its default, 18:00, where these tests set the clock by hand
    (the suite's other tests keep it out of the way, tests/conftest.py)."""
    return {**test_env, "FIELDLINE_DAILY_REPORT_DEADLINE": "18:00"}


@pytest.fixture
def clock(monkeypatch):
    """Set the server's clock for report submissions: `clock(utc(...))`."""
    def set_clock(moment: dt.datetime) -> None:
        monkeypatch.setattr("server.actions.daily_reports.utcnow", lambda: moment)
    return set_clock


def report(day: str, summary: str = "Visited three shops", **extra) -> dict:
    return {"date": day, "summary": summary, "plan": "Call back the buyers", **extra}


async def _checkin(user, customer, at: dt.datetime):
    from server.models.visits import CheckIn

    return await CheckIn.create(user_id=user.id, customer_id=customer.id, lat=31.2, lng=121.4, accuracy_m=10,
                                captured_at=at, flags=[], photo_ids=[])


async def _note(user, customer, at: dt.datetime, reached: bool = True):
    from server.models.visits import Activity

    return await Activity.create(author_id=user.id, customer_id=customer.id, kind="call", content="x",
                                 reached=reached, created_at=at)


async def test_first_report_is_201_a_second_is_an_update_keeping_history(org, clock):
    from server.models.feed import FeedItem

    clock(utc(2026, 11, 25, 9, 0))  # 17:00 in Shanghai
    first = await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25", problems="Rain"))
    assert first.status_code == 201, first.text
    assert first.json()["late"] is False and first.json()["version"] == 1
    second = await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25", "Visited four shops"))
    assert second.status_code == 200, second.text
    body = second.json()
    assert body["id"] == first.json()["id"] and body["version"] == 2
    assert body["summary"] == "Visited four shops" and body["problems"] is None
    assert [(v["version"], v["summary"], v["problems"]) for v in body["history"]] == [(1, "Visited three shops", "Rain")]
    assert await FeedItem.filter(kind="daily_report", author_id=org.rep_sh.id).count() == 1


async def test_figures_are_the_authors_local_day(org, clock):
    old = utc(2026, 11, 1, 3, 0)
    customer = await make_customer(org.rep_sh, level="B", created_at=old)
    cold = await make_customer(org.rep_sh, name="Cold Lead", level="0", created_at=old)
    await _checkin(org.rep_sh, customer, utc(2026, 11, 24, 15, 30))  # 23:30 on the 24th in Shanghai
    await _checkin(org.rep_sh, customer, utc(2026, 11, 24, 16, 30))  # 00:30 on the 25th
    await _checkin(org.rep_sh, cold, utc(2026, 11, 25, 2, 0))  # a visit to a level-0 customer is not effective
    await _note(org.rep_sh, customer, utc(2026, 11, 25, 3, 0))
    await _note(org.rep_sh, customer, utc(2026, 11, 25, 4, 0), reached=False)
    await _note(org.rep_sh, cold, utc(2026, 11, 25, 5, 0))
    await _note(org.rep_east1, customer, utc(2026, 11, 25, 5, 0))  # someone else's
    await make_customer(org.rep_sh, name="New Key Co", level="A", created_at=utc(2026, 11, 25, 6, 0))
    await make_customer(org.rep_sh, name="New Small Co", level="C", created_at=utc(2026, 11, 24, 17, 0))
    await make_customer(org.rep_sh, name="Yesterday Co", level="A", created_at=utc(2026, 11, 24, 15, 0))
    clock(utc(2026, 11, 25, 9, 0))
    figures = (await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25"))).json()["figures"]
    assert figures == {"checkins": 2, "activities": 3, "effective_contacts": 2,
                       "new_customers": 2, "new_key_customers": 1}


@pytest.mark.parametrize(("moment", "late"), [
    (utc(2026, 11, 25, 9, 59), False),  # 17:59 in Shanghai
    (utc(2026, 11, 25, 10, 1), True),   # 18:01
    (utc(2026, 11, 25, 15, 59), True),  # 23:59, still the 25th
])
async def test_late_after_18_00_in_shanghai(org, clock, moment, late):
    clock(moment)
    response = await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25"))
    assert response.status_code == 201 and response.json()["late"] is late


@pytest.mark.parametrize(("moment", "late"), [
    (utc(2026, 11, 26, 1, 59), False),  # 17:59 PST on the 25th (already the 26th in Shanghai)
    (utc(2026, 11, 26, 2, 1), True),    # 18:01 PST
])
async def test_late_after_18_00_in_los_angeles(org, clock, moment, late):
    await org.add_user("rep_la", "rep", "west", timezone=LA)
    clock(moment)
    response = await org.post("rep_la", "/api/v1/daily-reports", report("2026-11-25"))
    assert response.status_code == 201, response.text
    assert response.json()["late"] is late


async def test_a_shanghai_rep_cannot_report_a_day_that_has_not_begun(org, clock):
    clock(utc(2026, 11, 25, 15, 59))  # 23:59 on the 25th in Shanghai
    response = await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-26"))
    assert response.status_code == 422 and "future" in response.json()["error"]["details"]["fields"]["date"]
    clock(utc(2026, 11, 25, 16, 1))  # 00:01 on the 26th
    assert (await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-26"))).status_code == 201


async def test_daylight_saving_day_in_los_angeles_has_25_hours(org, clock):
    rep = await org.add_user("rep_la", "rep", "west", timezone=LA)
    customer = await make_customer(rep)
    await _checkin(rep, customer, utc(2026, 11, 1, 7, 30))   # 00:30 PDT on Nov 1
    await _checkin(rep, customer, utc(2026, 11, 2, 7, 30))   # 23:30 PST on Nov 1
    await _checkin(rep, customer, utc(2026, 11, 2, 8, 30))   # 00:30 PST on Nov 2
    await _checkin(rep, customer, utc(2026, 11, 1, 6, 30))   # 23:30 PDT on Oct 31
    clock(utc(2026, 11, 2, 1, 59))  # 17:59 PST, the deadline is 02:00 UTC after the change
    on_time = (await org.post("rep_la", "/api/v1/daily-reports", report("2026-11-01"))).json()
    assert on_time["late"] is False and on_time["figures"]["checkins"] == 2
    clock(utc(2026, 10, 31, 1, 1))  # 18:01 PDT on Oct 30: the deadline was 01:00 UTC before the change
    assert (await org.post("rep_la", "/api/v1/daily-reports", report("2026-10-30"))).json()["late"] is True


async def test_day_list_shows_reports_and_missing_reps_in_scope(org, clock):
    clock(utc(2026, 11, 25, 9, 0))
    mine = (await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25"))).json()
    await org.post("rep_west", "/api/v1/daily-reports", report("2026-11-25"))
    team = (await org.get("manager_east", "/api/v1/daily-reports?date=2026-11-25")).json()
    assert [r["user_id"] for r in team["items"]] == [org.rep_sh.id]
    assert set(team["missing"]) == {org.rep_east1.id, org.rep_east2.id}
    shanghai = (await org.get("manager_east",
                              f"/api/v1/daily-reports?date=2026-11-25&department_id={org.departments['east_sh'].id}")).json()
    assert [r["id"] for r in shanghai["items"]] == [mine["id"]] and shanghai["missing"] == []
    everyone = (await org.get("admin", "/api/v1/daily-reports?date=2026-11-25")).json()
    assert len(everyone["items"]) == 2 and set(everyone["missing"]) == {org.rep_east1.id, org.rep_east2.id}
    own = (await org.get("rep_east1", "/api/v1/daily-reports?date=2026-11-25")).json()
    assert own["items"] == [] and own["missing"] == [org.rep_east1.id]


async def test_reports_outside_scope_are_refused(org, clock):
    clock(utc(2026, 11, 25, 9, 0))
    mine = (await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25"))).json()
    assert (await org.get("manager_east", f"/api/v1/daily-reports/{mine['id']}")).status_code == 200
    assert (await org.get("rep_east1", f"/api/v1/daily-reports/{mine['id']}")).status_code == 404
    assert (await org.get("manager_west", f"/api/v1/daily-reports/{mine['id']}")).status_code == 404
    west = org.departments["west"].id
    assert (await org.get("manager_east", f"/api/v1/daily-reports?department_id={west}")).status_code == 403
    assert (await org.get("rep_east1", f"/api/v1/daily-reports?user_id={org.rep_sh.id}")).status_code == 403


async def _reminders():
    from server.models.reminders import Reminder

    return {(r.user_id, r.dedupe_key) for r in await Reminder.filter(kind="daily_report")}


async def test_reminder_goes_at_deadline_minus_30_once_to_those_missing(org, clock):
    from server.actions.daily_reports import remind_missing_daily_reports

    la = await org.add_user("rep_la", "rep", "west", timezone=LA)
    clock(utc(2026, 11, 25, 9, 0))
    await org.post("rep_sh", "/api/v1/daily-reports", report("2026-11-25"))
    assert await remind_missing_daily_reports(utc(2026, 11, 25, 9, 29)) == 0  # 17:29 in Shanghai
    assert await remind_missing_daily_reports(utc(2026, 11, 25, 9, 30)) == 3
    expected = {(u.id, f"daily_report:{u.id}:2026-11-25") for u in (org.rep_east1, org.rep_east2, org.rep_west)}
    assert await _reminders() == expected
    assert await remind_missing_daily_reports(utc(2026, 11, 25, 9, 45)) == 0  # exactly once
    assert await remind_missing_daily_reports(utc(2026, 11, 26, 1, 30)) == 1  # 17:30 PST for Los Angeles
    assert (la.id, f"daily_report:{la.id}:2026-11-25") in await _reminders()


async def test_reminder_follows_the_daylight_saving_change(org):
    from server.actions.daily_reports import remind_missing_daily_reports

    la = await org.add_user("rep_la", "rep", "west", timezone=LA)
    # On Oct 31 (PDT, UTC-7) 17:30 is 00:30 UTC; on Nov 1 (PST, UTC-8) it is 01:30 UTC.
    assert await remind_missing_daily_reports(utc(2026, 11, 1, 0, 29)) == 0
    assert await remind_missing_daily_reports(utc(2026, 11, 1, 0, 30)) == 1
    assert await remind_missing_daily_reports(utc(2026, 11, 2, 0, 30)) == 0  # only 16:30 PST on Nov 1
    assert await remind_missing_daily_reports(utc(2026, 11, 2, 1, 30)) == 1
    keys = {key for user, key in await _reminders() if user == la.id}
    assert keys == {f"daily_report:{la.id}:2026-10-31", f"daily_report:{la.id}:2026-11-01"}


async def test_the_scheduler_runs_the_reminder_and_it_fires_as_a_reminder_event(org, event_log):
    from schedulers.jobs import JOBS
    from server.actions.daily_reports import remind_missing_daily_reports
    from server.actions.reminder_firing import fire_due_reminders

    job = next(j for j in JOBS if j.name == "daily_report_reminders")
    assert job.run is remind_missing_daily_reports
    moment = utc(2026, 11, 25, 9, 31)  # 17:31 in Shanghai
    await remind_missing_daily_reports(moment)
    assert await fire_due_reminders("test", now=moment) == 4
    reminders = [e for e in await event_log(org.rep_sh.id) if e["type"] == "reminder"]
    assert len(reminders) == 1
    data = reminders[0]["data"]
    assert data["kind"] == "daily_report" and data["late"] is False
    assert data["due_at"] == "2026-11-25T10:00:00+00:00"  # the 18:00 deadline
