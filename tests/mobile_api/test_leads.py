"""Leads (线索) and cold visits (陌拜): a check-in without a customer creates or
attaches to a lead; sign-ups arrive with a source's API key and must be
followed up within 24 hours; leads convert through 撞单 and the cap."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from server.actions.leads import escalate_overdue_leads
from server.clock import utcnow
from server.models.customers import Contact, Customer, Opportunity
from server.models.leads import Lead
from server.models.notifications import Notification
from tests.support.customers import make_customer

HERE = {"lat": 32.39, "lng": 119.41, "accuracy_m": 12}


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_MAX_CUSTOMERS_PER_REP": "3"}


async def cold_visit(org, who: str, **extra):
    return await org.post(who, "/api/v1/checkins", {**HERE, "captured_at": utcnow().isoformat(), **extra})


async def new_lead(org, who: str = "rep_sh", **fields) -> dict:
    response = await org.post(who, "/api/v1/leads", {"company": "扬州五环印花厂", "contact_name": "李明",
                                                      "phone": "0514-2398577", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_cold_visit_has_no_distance_and_makes_a_lead(org) -> None:
    response = await cold_visit(org, "rep_sh", company="扬州五环印花厂", note="门卫说老板下午在")
    assert response.status_code == 201, response.text
    visit = response.json()
    assert (visit["customer_id"], visit["distance_m"], visit["within_geofence"]) == (None, None, None)
    assert "far_from_customer" not in visit["flags"]
    leads = (await org.get("rep_sh", "/api/v1/leads")).json()["items"]
    assert [(l["id"], l["company"], l["source"], l["status"], l["owner_id"]) for l in leads] == [
        (visit["lead_id"], "扬州五环印花厂", "cold_visit", "following", org.rep_sh.id)]
    again = await cold_visit(org, "rep_sh", lead_id=visit["lead_id"])
    assert again.status_code == 201 and again.json()["lead_id"] == visit["lead_id"]
    assert await Lead.all().count() == 1


async def test_a_cold_visit_to_someone_elses_lead_is_404(org) -> None:
    lead = await new_lead(org, "rep_west")
    assert (await cold_visit(org, "rep_sh", lead_id=lead["id"])).status_code == 404
    assert (await cold_visit(org, "rep_sh", lead_id=999999)).status_code == 404


async def test_leads_are_seen_like_owned_customers(org) -> None:
    lead = await new_lead(org, "rep_sh")
    for who, status in [("rep_sh", 200), ("manager_east", 200), ("admin", 200),
                        ("rep_east1", 404), ("manager_west", 404), ("rep_west", 404)]:
        assert (await org.get(who, f"/api/v1/leads/{lead['id']}")).status_code == status, who
    assert (await org.patch("rep_east1", f"/api/v1/leads/{lead['id']}", {"note": "x"})).status_code == 404
    since = (utcnow() - dt.timedelta(seconds=1)).isoformat()
    assert (await org.delete("rep_sh", f"/api/v1/leads/{lead['id']}")).status_code == 204
    synced = (await org.get("rep_sh", "/api/v1/leads", params={"updated_since": since})).json()["items"]
    assert synced == [{"id": lead["id"], "deleted": True}]


async def test_sign_ups_arrive_with_a_source_key_and_must_be_followed_up(org) -> None:
    assert (await org.post("manager_east", "/api/v1/lead-sources", {"name": "官网注册", "owner_id": org.rep_sh.id})).status_code == 403
    created = await org.post("admin", "/api/v1/lead-sources", {"name": "官网注册", "owner_id": org.rep_sh.id})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    body = {"company": "泰安艺动力彩色印刷厂", "contact_name": "王强", "phone": "0538-6212345"}
    assert (await org.client.post("/api/v1/leads/intake", json=body)).status_code == 401
    assert (await org.client.post("/api/v1/leads/intake", json=body, headers={"X-Lead-Key": "nope"})).status_code == 401
    response = await org.client.post("/api/v1/leads/intake", json=body, headers={"X-Lead-Key": key})
    assert response.status_code == 201, response.text
    lead = response.json()
    assert (lead["owner_id"], lead["source"], lead["status"]) == (org.rep_sh.id, "官网注册", "new")
    due = dt.datetime.fromisoformat(lead["follow_up_by"]) - utcnow()
    assert dt.timedelta(hours=23, minutes=59) < due <= dt.timedelta(hours=24)
    assert await Notification.filter(user_id=org.rep_sh.id, link_type="lead", link_id=lead["id"]).count() == 1


async def test_an_overdue_lead_tells_its_owner_then_the_manager_once(org) -> None:
    overdue = await Lead.create(company="泰安艺动力", source="官网注册", owner_id=org.rep_sh.id,
                                follow_up_by=utcnow() - dt.timedelta(minutes=1))
    followed = await Lead.create(company="濰坊的迪", source="官网注册", owner_id=org.rep_sh.id,
                                 follow_up_by=utcnow() - dt.timedelta(minutes=1), status="following",
                                 followed_at=utcnow())
    await asyncio.gather(escalate_overdue_leads(), escalate_overdue_leads())
    owner_told = await Notification.filter(user_id=org.rep_sh.id, link_type="lead").values_list("link_id", flat=True)
    assert owner_told == [overdue.id]
    assert not await Notification.filter(user_id=org.manager_east.id, link_type="lead").exists()
    later = utcnow() + dt.timedelta(hours=24, minutes=1)
    await asyncio.gather(escalate_overdue_leads(now=later), escalate_overdue_leads(now=later))
    manager_told = await Notification.filter(user_id=org.manager_east.id, link_type="lead").values_list("link_id", flat=True)
    assert manager_told == [overdue.id]
    assert followed.id not in owner_told


async def test_conversion_makes_customer_contact_and_opportunity(org) -> None:
    lead = await new_lead(org, "rep_sh")
    response = await org.post("manager_east", f"/api/v1/leads/{lead['id']}/convert",
                              {"customer": {"province": "江苏", "city": "扬州"}, "opportunity": {"name": "年度印花"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lead"]["status"] == "converted" and body["lead"]["customer_id"] == body["customer"]["id"]
    customer = await Customer.get(id=body["customer"]["id"])
    assert (customer.name, customer.owner_id, customer.province, customer.phone_key) == (
        "扬州五环印花厂", org.rep_sh.id, "江苏", "+865142398577")
    assert await Contact.filter(customer_id=customer.id, name="李明").exists()
    assert (await Opportunity.get(customer_id=customer.id)).owner_id == org.rep_sh.id
    again = await org.post("rep_sh", f"/api/v1/leads/{lead['id']}/convert", {})
    assert again.status_code == 409


async def test_conversion_goes_through_duplicates_and_the_cap(org) -> None:
    await make_customer(org, "rep_west", "扬州五环印花厂有限公司")
    lead = await new_lead(org, "rep_sh", phone=None)
    response = await org.post("rep_sh", f"/api/v1/leads/{lead['id']}/convert", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate"
    for name in ("申城建材", "东海水产", "浦江印刷"):
        await make_customer(org, "rep_sh", name)
    other = await new_lead(org, "rep_sh", company="远洋渔业", phone=None)
    response = await org.post("rep_sh", f"/api/v1/leads/{other['id']}/convert", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "limit_reached"
    assert (await Lead.get(id=other["id"])).status == "new"


async def test_bad_conversion_and_lead_input_is_422(org) -> None:
    lead = await new_lead(org, "rep_sh")
    for body, field in [({"customer": {"name": 7}}, "customer.name"), ({"customer": {"lat": "north"}}, "customer.lat"),
                        ({"opportunity": {"amount": 5}}, "opportunity.name"), ({"customer": {"lat": 31.2}}, "lng")]:
        response = await org.post("rep_sh", f"/api/v1/leads/{lead['id']}/convert", body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["error"]["details"]["fields"], (body, response.json())
    assert (await Lead.get(id=lead["id"])).status == "new"
    for body in ({"company": ""}, {"company": "a\nb"}, {"company": 5}):
        assert (await org.post("rep_sh", "/api/v1/leads", body)).status_code == 422, body
    assert (await org.patch("rep_sh", f"/api/v1/leads/{lead['id']}", {"status": "converted"})).status_code == 422
