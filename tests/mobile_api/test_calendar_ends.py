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
