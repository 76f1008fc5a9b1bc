"""Items about opportunities follow the opportunity's visibility."""

from __future__ import annotations

from typing import Any

from tests.feed.conftest import make_customer, post


async def test_opportunity_subject_follow_and_visibility(org: Any) -> None:
    from server.models.customers import Opportunity

    customer = await make_customer(org.rep_east1, "东方机械")
    deal = await Opportunity.create(customer_id=customer.id, name="年度框架", owner_id=org.rep_east1.id)
    item = await post(org, "rep_east1", "方案已发", subject={"type": "opportunity", "id": deal.id})
    assert item["subject"] == {"type": "opportunity", "id": deal.id}
    follow = {"target_type": "opportunity", "target_id": deal.id}
    assert (await org.post("manager_east", "/api/v1/follows", follow)).status_code == 201
    assert (await org.post("rep_west", "/api/v1/follows", follow)).status_code == 404
    assert (await org.get("manager_east", f"/api/v1/posts/{item['id']}")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/posts/{item['id']}")).status_code == 404
    about = f"/api/v1/feed?scope=public&subject_type=opportunity&subject_id={deal.id}"
    assert [i["id"] for i in (await org.get("manager_east", about)).json()["items"]] == [item["id"]]
    assert (await org.get("rep_west", about)).status_code == 404
    missing = await org.post("rep_east1", "/api/v1/posts", {"body": "x", "subject": {"type": "opportunity", "id": 999999}})
    assert missing.status_code == 404
