"""The public pool (公海): release, claim under the cap (also at the same moment),
transfer, share, and the owner history."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from server.clock import utcnow
from server.models.customers import CustomerHistory
from tests.support.customers import ids, make_customer, make_pool_customer


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_MAX_CUSTOMERS_PER_REP": "3"}


async def test_release_needs_a_reason_and_puts_the_customer_in_the_pool(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    path = f"/api/v1/customers/{customer['id']}/release"
    assert (await org.post("rep_sh", path, {"reason": "  "})).status_code == 422
    assert (await org.post("rep_sh", path, {})).status_code == 422
    response = await org.post("rep_sh", path, {"reason": "三个月无回应"})
    assert response.status_code == 200
    assert (response.json()["owner_id"], response.json()["in_pool"]) == (None, True)
    assert (await org.post("rep_sh", path, {"reason": "again"})).status_code == 403  # no longer the owner
    again = await org.post("admin", path, {"reason": "again"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert customer["id"] in await ids(org, "rep_west", "/api/v1/customers?scope=pool")


async def test_claim_makes_the_caller_owner(org) -> None:
    pooled = await make_pool_customer(org, "远洋渔业")
    response = await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")
    assert response.status_code == 200
    assert (response.json()["owner_id"], response.json()["in_pool"]) == (org.rep_sh.id, False)
    assert (await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/customers/{pooled['id']}")).status_code == 404


async def test_claiming_what_someone_else_claimed_is_409(org) -> None:
    pooled = await make_pool_customer(org, "远洋渔业")
    assert (await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")).status_code == 200
    # The manager of both still sees it, now owned by rep_sh.
    response = await org.post("manager_east", f"/api/v1/customers/{pooled['id']}/claim")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    # An outsider no longer sees it at all; the next test shows when a claim still says 409.
    assert (await org.get("rep_west", f"/api/v1/customers/{pooled['id']}")).status_code == 404


async def test_claim_past_the_cap_is_limit_reached(org) -> None:
    for name in ("申城建材", "东海水产", "浦江印刷"):
        await make_customer(org, "rep_sh", name)
    pooled = await make_pool_customer(org, "远洋渔业")
    response = await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "limit_reached"
    assert response.json()["error"]["details"] == {"limit": 3, "owned": 3}


async def test_deleted_and_pooled_customers_do_not_count_towards_the_cap(org) -> None:
    first = await make_customer(org, "rep_sh", "申城建材")
    second = await make_customer(org, "rep_sh", "东海水产")
    await make_customer(org, "rep_sh", "浦江印刷")
    await org.delete("rep_sh", f"/api/v1/customers/{first['id']}")
    await org.post("rep_sh", f"/api/v1/customers/{second['id']}/release", {"reason": "换人跟进"})
    pooled = await make_pool_customer(org, "远洋渔业")
    assert (await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")).status_code == 200


async def test_two_reps_claiming_one_customer_at_once_one_wins(org) -> None:
    pooled = await make_pool_customer(org, "远洋渔业")
    path = f"/api/v1/customers/{pooled['id']}/claim"
    answers = await asyncio.gather(org.post("rep_sh", path), org.post("rep_east1", path), org.post("rep_east2", path))
    assert sorted(a.status_code for a in answers) == [200, 409, 409]
    winner = next(a for a in answers if a.status_code == 200).json()["owner_id"]
    history = (await org.get("admin", f"/api/v1/customers/{pooled['id']}/history")).json()["items"]
    assert [h["action"] for h in history if h["action"] == "claimed"] == ["claimed"]
    assert history[0]["to_owner_id"] == winner


async def test_one_rep_claiming_several_with_one_slot_left_gets_one(org) -> None:
    await make_customer(org, "rep_sh", "申城建材")
    await make_customer(org, "rep_sh", "东海水产")
    pooled = [await make_pool_customer(org, name) for name in ("远洋渔业", "西湖茶业", "北方重工", "南方航运")]
    answers = await asyncio.gather(*(org.post("rep_sh", f"/api/v1/customers/{p['id']}/claim") for p in pooled))
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"limit_reached"}
    assert len(await ids(org, "rep_sh", "/api/v1/customers?scope=mine")) == 3


async def test_transfer_by_the_manager_within_scope(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    path = f"/api/v1/customers/{customer['id']}/transfer"
    assert (await org.post("rep_sh", path, {"owner_id": org.rep_east1.id})).status_code == 403
    assert (await org.post("manager_west", path, {"owner_id": org.rep_west.id})).status_code == 404
    assert (await org.post("manager_east", path, {"owner_id": org.rep_west.id})).status_code == 403
    assert (await org.post("manager_east", path, {"owner_id": 999999})).status_code == 422
    response = await org.post("manager_east", path, {"owner_id": org.rep_east1.id, "reason": "调岗"})
    assert response.status_code == 200 and response.json()["owner_id"] == org.rep_east1.id
    assert (await org.get("rep_sh", f"/api/v1/customers/{customer['id']}")).status_code == 404
    assert (await org.post("admin", path, {"owner_id": org.rep_west.id})).json()["owner_id"] == org.rep_west.id


async def test_a_manager_can_hand_out_a_pool_customer(org) -> None:
    pooled = await make_pool_customer(org, "远洋渔业")
    response = await org.post("manager_east", f"/api/v1/customers/{pooled['id']}/transfer", {"owner_id": org.rep_sh.id})
    assert response.status_code == 200
    assert (response.json()["owner_id"], response.json()["in_pool"]) == (org.rep_sh.id, False)


async def test_share_lets_colleagues_see_and_replaces_the_list(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    path = f"/api/v1/customers/{customer['id']}/share"
    assert (await org.get("rep_west", f"/api/v1/customers/{customer['id']}")).status_code == 404
    response = await org.post("rep_sh", path, {"user_ids": [org.rep_west.id, org.rep_east1.id]})
    assert response.status_code == 200
    assert response.json()["shared_with"] == sorted([org.rep_west.id, org.rep_east1.id])
    assert (await org.get("rep_west", f"/api/v1/customers/{customer['id']}")).status_code == 200
    assert await ids(org, "rep_west", "/api/v1/customers?scope=shared") == [customer["id"]]
    # A colleague it is shared with may look, not change or re-share.
    assert (await org.patch("rep_west", f"/api/v1/customers/{customer['id']}", {"level": "A"})).status_code == 403
    assert (await org.post("rep_west", path, {"user_ids": []})).status_code == 403
    assert (await org.post("rep_sh", path, {"user_ids": [org.rep_east1.id]})).json()["shared_with"] == [org.rep_east1.id]
    assert (await org.get("rep_west", f"/api/v1/customers/{customer['id']}")).status_code == 404


async def test_share_with_unknown_users_is_422(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    response = await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/share", {"user_ids": [org.rep_west.id, 424242]})
    assert response.status_code == 422
    assert "424242" in response.json()["error"]["details"]["fields"]["user_ids"]
    assert (await org.get("rep_sh", f"/api/v1/customers/{customer['id']}")).json()["shared_with"] == []


async def test_history_tells_who_when_from_to_and_why(org) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    cid = customer["id"]
    await org.post("rep_sh", f"/api/v1/customers/{cid}/release", {"reason": "预算取消"})
    await org.post("rep_east1", f"/api/v1/customers/{cid}/claim")
    await org.post("manager_east", f"/api/v1/customers/{cid}/transfer", {"owner_id": org.rep_east2.id, "reason": "区域调整"})
    items = (await org.get("rep_east2", f"/api/v1/customers/{cid}/history")).json()["items"]
    rows = [(h["action"], h["actor_id"], h["from_owner_id"], h["to_owner_id"], h["reason"]) for h in items]
    assert rows == [
        ("transferred", org.manager_east.id, org.rep_east1.id, org.rep_east2.id, "区域调整"),
        ("claimed", org.rep_east1.id, None, org.rep_east1.id, None),
        ("released", org.rep_sh.id, org.rep_sh.id, None, "预算取消"),
        ("created", org.rep_sh.id, None, org.rep_sh.id, None),
    ]
    assert all(h["created_at"] for h in items)
    assert (await org.get("rep_sh", f"/api/v1/customers/{cid}/history")).status_code == 404


async def test_transfer_notifies_the_new_owner(org, event_log) -> None:
    customer = await make_customer(org, "rep_sh", "申城建材")
    await org.post("manager_east", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_east1.id})
    events = await event_log(org.rep_east1.id)
    assert [e["type"] for e in events] == ["notification.new"]
    assert events[0]["data"]["link"] == {"type": "customer", "id": customer["id"]}


async def test_a_claim_that_lost_a_moment_ago_is_told_someone_else_got_it(org) -> None:
    """The winner's claim can commit before the loser's request even looks: the
    customer is then out of the loser's sight, and the answer is still 409."""
    pooled = await make_pool_customer(org, "近海渔业")
    path = f"/api/v1/customers/{pooled['id']}/claim"
    assert (await org.post("rep_east1", path)).status_code == 200
    late = await org.post("rep_sh", path)
    assert late.status_code == 409, late.text
    assert late.json()["error"]["code"] == "conflict"


async def test_a_claim_on_a_customer_out_of_sight_for_longer_or_never_pooled_is_404(org) -> None:
    pooled = await make_pool_customer(org, "远海渔业")
    assert (await org.post("rep_east1", f"/api/v1/customers/{pooled['id']}/claim")).status_code == 200
    await CustomerHistory.filter(customer_id=pooled["id"], action="claimed").update(
        created_at=utcnow() - dt.timedelta(minutes=5))
    assert (await org.post("rep_sh", f"/api/v1/customers/{pooled['id']}/claim")).status_code == 404
    owned = await make_customer(org, "rep_east1", "内河航运")
    assert (await org.post("rep_sh", f"/api/v1/customers/{owned['id']}/claim")).status_code == 404
