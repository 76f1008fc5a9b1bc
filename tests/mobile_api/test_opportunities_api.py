"""Opportunities: stages, won and lost (with a reason), the feed, visibility."""

from __future__ import annotations

from server.models.feed import FeedItem
from tests.support.customers import ids, make_customer


async def _opportunity(org, who: str = "rep_sh", **fields) -> dict:
    customer = await make_customer(org, who, fields.pop("customer_name", "申城建材"))
    response = await org.post(who, "/api/v1/opportunities", {"customer_id": customer["id"], "name": "年度框架", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_with_defaults(org) -> None:
    body = await _opportunity(org, amount=125000.5, expected_close="2026-12-31")
    assert set(body) >= {"id", "customer_id", "name", "amount", "currency", "stage", "status", "loss_reason",
                         "expected_close", "owner_id"}
    assert (body["stage"], body["status"], body["currency"], body["amount"]) == ("lead", "open", "CNY", 125000.5)
    assert (body["expected_close"], body["owner_id"], body["loss_reason"]) == ("2026-12-31", org.rep_sh.id, None)


async def test_input_is_checked(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    base = {"customer_id": customer["id"], "name": "x"}
    for extra, field in [({"stage": "won"}, "stage"), ({"status": "closed"}, "status"),
                         ({"amount": -1}, "amount"), ({"expected_close": "31/12/2026"}, "expected_close"),
                         ({"status": "lost"}, "loss_reason"), ({"currency": "RMB1"}, "currency")]:
        response = await org.post("rep_sh", "/api/v1/opportunities", {**base, **extra})
        assert response.status_code == 422, (extra, response.text)
        assert field in response.json()["error"]["details"]["fields"], (extra, response.text)
    other = await make_customer(org, "rep_west", "西部矿业")
    assert (await org.post("rep_sh", "/api/v1/opportunities", {"customer_id": other["id"], "name": "x"})).status_code == 404


async def test_lost_needs_a_reason_and_reopening_clears_it(org) -> None:
    opportunity = await _opportunity(org)
    path = f"/api/v1/opportunities/{opportunity['id']}"
    missing = await org.patch("rep_sh", path, {"status": "lost"})
    assert missing.status_code == 422
    assert "loss_reason" in missing.json()["error"]["details"]["fields"]
    lost = await org.patch("rep_sh", path, {"status": "lost", "loss_reason": "价格太高"})
    assert (lost.status_code, lost.json()["loss_reason"]) == (200, "价格太高")
    assert lost.json()["closed_at"] is not None
    reopened = (await org.patch("rep_sh", path, {"status": "open"})).json()
    assert (reopened["status"], reopened["loss_reason"], reopened["closed_at"]) == ("open", None, None)


async def test_stage_and_status_changes_post_to_the_feed(org, event_log) -> None:
    opportunity = await _opportunity(org)
    path = f"/api/v1/opportunities/{opportunity['id']}"
    await org.patch("rep_sh", path, {"name": "年度框架协议"})
    assert await FeedItem.filter(kind="opportunity").count() == 0
    await org.patch("rep_sh", path, {"stage": "proposal"})
    await org.patch("rep_sh", path, {"status": "won"})
    items = await FeedItem.filter(kind="opportunity").order_by("id")
    assert [(i.subject_type, i.subject_id, i.author_id) for i in items] == [("opportunity", opportunity["id"], org.rep_sh.id)] * 2
    assert "线索 → 方案报价" in items[0].body and "赢单" in items[1].body
    manager_events = [e for e in await event_log(org.manager_east.id) if e["type"] == "feed.new"]
    assert [e["data"]["id"] for e in manager_events] == [i.id for i in items]


async def test_list_filters_and_visibility(org) -> None:
    mine = await _opportunity(org)
    await org.patch("rep_sh", f"/api/v1/opportunities/{mine['id']}", {"stage": "negotiation"})
    theirs = await _opportunity(org, "rep_west", customer_name="西部矿业")
    assert await ids(org, "rep_sh", "/api/v1/opportunities") == [mine["id"]]
    assert await ids(org, "rep_sh", "/api/v1/opportunities?stage=negotiation") == [mine["id"]]
    assert await ids(org, "rep_sh", "/api/v1/opportunities?stage=lead") == []
    assert await ids(org, "admin", "/api/v1/opportunities") == [theirs["id"], mine["id"]]
    assert await ids(org, "manager_west", f"/api/v1/opportunities?customer_id={mine['customer_id']}") == []
    assert (await org.get("rep_sh", f"/api/v1/opportunities/{theirs['id']}")).status_code == 404


async def test_stale_version_is_409(org) -> None:
    opportunity = await _opportunity(org)
    path = f"/api/v1/opportunities/{opportunity['id']}"
    assert (await org.patch("rep_sh", path, {"amount": 10}, headers={"If-Match": "1"})).status_code == 200
    stale = await org.patch("rep_sh", path, {"amount": 20}, headers={"If-Match": "1"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
