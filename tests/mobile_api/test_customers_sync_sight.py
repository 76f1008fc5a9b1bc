"""Delta sync tells a phone about customers its user can no longer see: each way of
losing sight (transfer, a claim from the pool, an ended share, an owner moved out of
a manager's departments, a manager's departments changed, a department moved) gives
a tombstone; gaining sight without the customer changing gives the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support.customers import gone, live, make_customer
from tests.support.customers import sync as sync_pages

PAGE = 2


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


async def sync(org: Any, who: str, since: str, **params: Any) -> dict[int, dict[str, Any]]:
    return await sync_pages(org, who, "customers", since, PAGE, **params)


async def test_transferred_away(org) -> None:
    customer = await make_customer(org, "rep_sh", "转走贸易")
    since = _now()
    moved = await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    assert moved.status_code == 200, moved.text
    for who in ("rep_sh", "manager_east"):
        assert gone((await sync(org, who, since)).get(customer["id"])), who
        # Whatever the list asked for: the phone must drop it.
        assert gone((await sync(org, who, since, scope="team")).get(customer["id"])), who
    for who in ("rep_west", "manager_west", "admin"):
        assert live((await sync(org, who, since)).get(customer["id"])), who
    # Someone who never saw it hears nothing about it.
    assert customer["id"] not in await sync(org, "rep_east1", since)


async def test_released_to_the_pool_then_claimed_by_another_team(org) -> None:
    customer = await make_customer(org, "rep_sh", "公海水产")
    since = _now()
    await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/share", {"user_ids": [org.rep_east1.id]})
    released = await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/release", {"reason": "不做了"})
    assert released.status_code == 200, released.text
    # In the pool everyone still sees it: the new state, not a tombstone.
    for who in ("rep_sh", "rep_east1", "rep_west"):
        item = (await sync(org, who, since)).get(customer["id"])
        assert live(item) and item["in_pool"] is True, who
    claimed_at = _now()
    assert (await org.post("rep_west", f"/api/v1/customers/{customer['id']}/claim")).status_code == 200
    for when in (since, claimed_at):
        for who in ("rep_sh", "rep_east1", "rep_east2", "manager_east"):
            assert gone((await sync(org, who, when)).get(customer["id"])), (who, when)
        for who in ("rep_west", "manager_west", "admin"):
            assert live((await sync(org, who, when)).get(customer["id"])), (who, when)


async def test_shared_then_unshared(org) -> None:
    customer = await make_customer(org, "rep_west", "共享物流")
    since = _now()
    share = f"/api/v1/customers/{customer['id']}/share"
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_sh.id, org.rep_east1.id]})).status_code == 200
    assert live((await sync(org, "rep_sh", since)).get(customer["id"]))
    unshared_at = _now()
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_east1.id]})).status_code == 200
    for when in (since, unshared_at):
        assert gone((await sync(org, "rep_sh", when)).get(customer["id"])), when
        assert gone((await sync(org, "rep_sh", when, scope="shared")).get(customer["id"])), when
        assert live((await sync(org, "rep_east1", when)).get(customer["id"])), when
    # Shared again: the record comes back.
    again = _now()
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_sh.id]})).status_code == 200
    assert live((await sync(org, "rep_sh", again)).get(customer["id"]))
    assert gone((await sync(org, "rep_east1", again)).get(customer["id"]))


async def test_owner_moved_to_another_department(org) -> None:
    customers = [await make_customer(org, "rep_sh", f"搬家{n}号商贸") for n in range(3)]
    since = _now()
    moved = await org.patch("admin", f"/api/v1/users/{org.rep_sh.id}", {"department_id": org.departments["west"].id})
    assert moved.status_code == 200, moved.text
    east, west, own = [await sync(org, w, since) for w in ("manager_east", "manager_west", "rep_sh")]
    for customer in customers:
        assert gone(east.get(customer["id"]))
        # The customers did not change, but manager_west sees them now.
        assert live(west.get(customer["id"]))
        assert customer["id"] not in own
    assert customers[0]["id"] not in await sync(org, "rep_west", since)


async def test_manager_gives_up_a_department(org) -> None:
    customer = await make_customer(org, "rep_east2", "放手机电")
    since = _now()
    changed = await org.patch("admin", f"/api/v1/users/{org.manager_east.id}",
                              {"managed_department_ids": [org.departments["east_sh"].id]})
    assert changed.status_code == 200, changed.text
    assert gone((await sync(org, "manager_east", since)).get(customer["id"]))
    regained = _now()
    await org.patch("admin", f"/api/v1/users/{org.manager_east.id}",
                    {"managed_department_ids": [org.departments["east"].id]})
    assert live((await sync(org, "manager_east", regained)).get(customer["id"]))


async def test_department_moved_under_another_manager(org) -> None:
    customer = await make_customer(org, "rep_sh", "迁移化工")
    since = _now()
    moved = await org.patch("admin", f"/api/v1/departments/{org.departments['east_sh'].id}",
                            {"parent_id": org.departments["west"].id})
    assert moved.status_code == 200, moved.text
    assert gone((await sync(org, "manager_east", since)).get(customer["id"]))
    assert live((await sync(org, "manager_west", since)).get(customer["id"]))


async def test_lost_and_found_again_is_the_record(org) -> None:
    customer = await make_customer(org, "rep_sh", "回来纺织")
    since = _now()
    path = f"/api/v1/customers/{customer['id']}/transfer"
    await org.post("admin", path, {"owner_id": org.rep_west.id})
    await org.post("admin", path, {"owner_id": org.rep_sh.id})
    assert live((await sync(org, "rep_sh", since)).get(customer["id"]))


async def test_small_pages_give_what_one_big_page_gives(org) -> None:
    mine = [await make_customer(org, "rep_sh", f"分页{n}号贸易") for n in range(5)]
    since = _now()
    for customer in mine[:3]:
        await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    await org.patch("rep_sh", f"/api/v1/customers/{mine[3]['id']}", {"industry": "纺织"})
    await org.delete("rep_sh", f"/api/v1/customers/{mine[4]['id']}")
    small = await sync(org, "rep_sh", since)
    big = (await org.get("rep_sh", "/api/v1/customers", params={"updated_since": since, "limit": 200})).json()
    assert big["next_cursor"] is None
    assert small == {item["id"]: item for item in big["items"]}
    assert sorted(small) == sorted(c["id"] for c in mine)
    assert [gone(small[c["id"]]) for c in mine] == [True, True, True, False, True]
