"""Days at the ends of the calendar (`0001-01-01`, `9999-12-31`) overflowed when
turned into UTC spans and answered 500; every `date`-like parameter takes
1900-01-01 to 2999-12-31 and refuses the rest with 422 on that field."""

from __future__ import annotations

import pytest

QUERIES = [
    ("/api/v1/checkins", "date"),
    ("/api/v1/checkins.geojson", "date"),
    ("/api/v1/agenda", "date"),
    ("/api/v1/daily-reports", "date"),
    ("/api/v1/activities", "date"),
    ("/api/v1/stats/leaderboard", "from"),
    ("/api/v1/stats/leaderboard", "to"),
]


@pytest.mark.parametrize("path,field", QUERIES)
async def test_a_day_at_the_end_of_the_calendar_is_a_422_on_its_field(org, path, field):
    for day in ("0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"):
        answer = await org.get("manager_east", path, params={field: day})
        assert answer.status_code == 422, (path, field, day, answer.text)
        assert list(answer.json()["error"]["details"]["fields"]) == [field], answer.text
    assert (await org.get("manager_east", path, params={field: "2026-11-25"})).status_code == 200, path


async def test_a_daily_report_for_year_one_is_refused(org):
    answer = await org.post("rep_sh", "/api/v1/daily-reports", {"date": "0001-01-01", "summary": "拜访两家客户"})
    assert answer.status_code == 422, answer.text
    assert "date" in answer.json()["error"]["details"]["fields"]


@pytest.mark.parametrize("path,field", [("/api/v1/customers", "updated_since"), ("/api/v1/contacts", "updated_since"),
                                        ("/api/v1/tasks", "updated_since"), ("/api/v1/tasks", "due_before")])
async def test_a_moment_at_the_end_of_the_calendar_is_a_422_on_its_field(org, path, field):
    """`0001-01-01T00:00:00+05:00` is before year one in UTC: PostgreSQL's driver
    could not send it and the answer was 500."""
    for moment in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "1899-06-01T00:00:00+00:00"):
        answer = await org.get("rep_sh", path, params={field: moment})
        assert answer.status_code == 422, (path, field, moment, answer.text)
        assert list(answer.json()["error"]["details"]["fields"]) == [field], answer.text
    assert (await org.get("rep_sh", path, params={field: "2026-11-25T09:30:00+08:00"})).status_code == 200


async def test_a_task_due_in_year_one_is_refused(org):
    answer = await org.post("manager_east", "/api/v1/tasks", {
        "title": "回访", "assignee_id": org.rep_sh.id, "due_at": "0001-01-01T00:00:00+05:00"})
    assert answer.status_code == 422, answer.text
    assert "due_at" in answer.json()["error"]["details"]["fields"]
