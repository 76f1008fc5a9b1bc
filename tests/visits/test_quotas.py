"""Quotas that alert: reps below the daily targets are told at the alert hour of
their day, their manager gets a team summary, each once across processes;
doubted check-ins are not effective contacts and imported rows are not new
customers."""

from __future__ import annotations

import asyncio
import datetime as dt

import orjson
import pytest

from server.actions.quota_alerts import alert_quotas
from server.localdays import clock_on, local_date
from server.models.notifications import Notification
from tests.visits.conftest import BEIJING, SHANGHAI, checkin_body, make_customer, now

TZ = "Asia/Shanghai"  # the org's people


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    """The alert hour at its default, 17:00, where these tests run the alerts by hand
    (the suite's other tests keep it out of the way, tests/conftest.py)."""
    return {**test_env, "FIELDLINE_QUOTA_ALERT_AT": "17:00"}


def today() -> dt.date:
    return local_date(now(), TZ)


def at_local(clock: str) -> dt.datetime:
    return clock_on(today(), clock, TZ)


async def figures(org, who: str) -> dict:
    day = today().isoformat()
    response = await org.get(who, "/api/v1/stats/activity", params={"from": day, "to": day})
    assert response.status_code == 200, response.text
    return response.json()["totals"]


async def quota_notes(user_id: int) -> list[Notification]:
    return await Notification.filter(user_id=user_id, kind="system").order_by("id")


async def test_a_rep_below_target_is_told_once_at_the_alert_hour(org) -> None:
    assert await alert_quotas(now=at_local("16:59")) == 0
    assert await quota_notes(org.rep_sh.id) == []
    answers = await asyncio.gather(*(alert_quotas(now=at_local("17:00")) for _ in range(3)))
    notes = await quota_notes(org.rep_sh.id)
    assert len(notes) == 1, answers
    assert notes[0].data["figures"]["effective_contacts"] == 0
    assert notes[0].data["targets"] == {"effective_contacts": 35, "new_key_customers": 3}
    assert "0/35" in notes[0].body
    await alert_quotas(now=at_local("21:00"))
    assert len(await quota_notes(org.rep_sh.id)) == 1


async def test_the_manager_gets_one_summary_of_the_team(org) -> None:
    await asyncio.gather(alert_quotas(now=at_local("17:05")), alert_quotas(now=at_local("17:05")))
    notes = [n for n in await quota_notes(org.manager_east.id) if "below" in n.data]
    assert len(notes) == 1
    assert {p["user_id"] for p in notes[0].data["below"]} == {org.rep_east1.id, org.rep_east2.id, org.rep_sh.id}
    assert org.rep_west.id not in {p["user_id"] for p in notes[0].data["below"]}
    assert "王芳" in notes[0].body


class TestLowTargets:
    @pytest.fixture
    def test_env(self, test_env: dict[str, str]) -> dict[str, str]:
        return {**test_env, "FIELDLINE_DAILY_CONTACTS_TARGET": "1", "FIELDLINE_DAILY_NEW_KEY_CUSTOMERS_TARGET": "0",
                "FIELDLINE_QUOTA_ALERT_AT": "12:00"}

    async def test_a_rep_on_target_is_not_told_and_the_hour_is_a_setting(self, org) -> None:
        customer = await make_customer(org.rep_sh)
        assert (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id))).status_code == 201
        assert await alert_quotas(now=at_local("11:59")) == 0
        await alert_quotas(now=at_local("12:00"))
        assert await quota_notes(org.rep_sh.id) == []
        assert len(await quota_notes(org.rep_east1.id)) == 1


async def test_a_check_in_far_from_the_customer_is_not_an_effective_contact(org) -> None:
    """The issue's example: a check-in 243 km from the customer counted as effective."""
    near = await make_customer(org.rep_sh, "申城建材", where=SHANGHAI)
    far = await make_customer(org.rep_sh, "北方重工", where=BEIJING)
    far_visit = await org.post("rep_sh", "/api/v1/checkins", checkin_body(far.id, SHANGHAI))
    assert "far_from_customer" in far_visit.json()["flags"]
    assert (await figures(org, "rep_sh"))["effective_contacts"] == 0
    visit = await org.post("rep_sh", "/api/v1/checkins", checkin_body(near.id, SHANGHAI))
    assert visit.json()["flags"] == []
    totals = await figures(org, "rep_sh")
    assert (totals["checkins"], totals["effective_contacts"]) == (2, 1)


async def test_imported_rows_are_not_new_customers(org) -> None:
    """The issue's example: 135 imported rows counted as 135 new customers."""
    content = "公司名称,级别\n申城建材,A\n东海水产,A\n".encode()
    response = await org.post("rep_sh", "/api/v1/customers/import",
                              files={"file": ("c.csv", content, "text/csv")},
                              data={"mapping": orjson.dumps({"公司名称": "name", "级别": "level"}).decode()})
    assert response.json()["created"] == 2, response.text
    assert (await figures(org, "rep_sh"))["new_customers"] == 0
    assert (await org.post("rep_sh", "/api/v1/customers", {"name": "浦江印刷", "level": "A"})).status_code == 201
    totals = await figures(org, "rep_sh")
    assert (totals["new_customers"], totals["new_key_customers"]) == (1, 1)


async def test_an_impossible_travel_check_in_is_not_an_effective_contact(org) -> None:
    """Flagged impossible travel (1,068 km in minutes) does not count, like a far one."""
    shanghai = await make_customer(org.rep_sh, "申城建材", where=SHANGHAI)
    beijing = await make_customer(org.rep_sh, "京华贸易", where=BEIJING)
    start = max(now() - dt.timedelta(minutes=8), at_local("00:00") + dt.timedelta(seconds=1))
    first = await org.post("rep_sh", "/api/v1/checkins", checkin_body(shanghai.id, SHANGHAI, at=start))
    assert first.json()["flags"] == [], first.text
    flew = await org.post("rep_sh", "/api/v1/checkins",
                          checkin_body(beijing.id, BEIJING, at=start + (now() - start) / 2))
    assert flew.json()["flags"] == ["impossible_travel"], flew.text
    totals = await figures(org, "rep_sh")
    assert (totals["checkins"], totals["effective_contacts"]) == (2, 1)


class TestTargetsPerRoleAndDepartment:
    """An admin sets the targets per role and per department; the department's
    value (or the nearest one above it) overrides the role's, which overrides
    the default, each target on its own."""

    async def test_department_overrides_role_overrides_default(self, org) -> None:
        assert (await org.put("admin", "/api/v1/quotas/roles/rep",
                              {"effective_contacts": 20, "new_key_customers": 2})).status_code == 200
        east = org.departments["east"].id
        set_east = await org.put("admin", f"/api/v1/quotas/departments/{east}", {"effective_contacts": 10})
        assert set_east.status_code == 200, set_east.text
        assert (set_east.json()["effective_contacts"], set_east.json()["new_key_customers"]) == (10, None)
        book = (await org.get("manager_east", "/api/v1/quotas")).json()
        assert book["default"] == {"effective_contacts": 35, "new_key_customers": 3}
        assert [(r["role"], r["effective_contacts"]) for r in book["roles"]] == [("rep", 20)]
        assert [(d["department_id"], d["effective_contacts"]) for d in book["departments"]] == [(east, 10)]
        day = today().isoformat()
        for who, expected in [("rep_sh", {"effective_contacts": 10, "new_key_customers": 2}),  # East-Shanghai < East
                              ("rep_west", {"effective_contacts": 20, "new_key_customers": 2}),
                              ("manager_east", {"effective_contacts": 10, "new_key_customers": 3})]:
            stats = await org.get(who, "/api/v1/stats/activity", params={"from": day, "to": day})
            assert stats.json()["targets"] == expected, who
        await alert_quotas(now=at_local("17:00"))
        notes = await quota_notes(org.rep_sh.id)
        assert notes[0].data["targets"] == {"effective_contacts": 10, "new_key_customers": 2}
        assert "0/10" in notes[0].body
        assert (await quota_notes(org.rep_west.id))[0].data["targets"]["effective_contacts"] == 20

    async def test_a_rep_on_their_departments_target_is_not_told(self, org) -> None:
        east = org.departments["east"].id
        await org.put("admin", f"/api/v1/quotas/departments/{east}",
                      {"effective_contacts": 1, "new_key_customers": 0})
        customer = await make_customer(org.rep_sh)
        assert (await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id))).status_code == 201
        await alert_quotas(now=at_local("17:00"))
        assert await quota_notes(org.rep_sh.id) == []
        assert len(await quota_notes(org.rep_west.id)) == 1
        summary = [n for n in await quota_notes(org.manager_east.id) if "below" in n.data]
        assert {p["user_id"] for p in summary[0].data["below"]} == {org.rep_east1.id, org.rep_east2.id}

    async def test_null_inherits_again_and_only_admins_set(self, org) -> None:
        east = org.departments["east"].id
        await org.put("admin", f"/api/v1/quotas/departments/{east}", {"effective_contacts": 10})
        cleared = await org.put("admin", f"/api/v1/quotas/departments/{east}", {"effective_contacts": None})
        assert cleared.json()["effective_contacts"] is None
        day = today().isoformat()
        stats = await org.get("rep_sh", "/api/v1/stats/activity", params={"from": day, "to": day})
        assert stats.json()["targets"]["effective_contacts"] == 35
        assert (await org.put("manager_east", f"/api/v1/quotas/departments/{east}",
                              {"effective_contacts": 1})).status_code == 403
        assert (await org.get("rep_sh", "/api/v1/quotas")).status_code == 403
        assert (await org.put("admin", "/api/v1/quotas/departments/999999", {"effective_contacts": 1})).status_code == 404
        for path, body, field in [("/api/v1/quotas/roles/boss", {"effective_contacts": 1}, "role"),
                                  ("/api/v1/quotas/roles/rep", {"effective_contacts": -1}, "effective_contacts"),
                                  ("/api/v1/quotas/roles/rep", {"new_key_customers": "3"}, "new_key_customers")]:
            response = await org.put("admin", path, body)
            assert response.status_code == 422, (path, response.text)
            assert field in response.json()["error"]["details"]["fields"], response.text
