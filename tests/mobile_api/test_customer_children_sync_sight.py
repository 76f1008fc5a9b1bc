"""Contacts and opportunities come into and leave a phone's sight with their
customer: each way of losing sight of the customer (transfer, a claim from the
pool, an ended share, an owner moved out of a manager's departments, a
manager's departments changed, a department moved) gives their tombstones in
`GET /api/v1/contacts|opportunities?updated_since=`, and each way of gaining
sight (transfer, release to the pool, a share, team changes) gives the records,
although the contacts and opportunities themselves did not change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.support.customers import gone, live, make_customer
from tests.support.customers import sync as sync_pages

PAGE = 2
KINDS = ["contacts", "opportunities"]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


async def sync(org: Any, who: str, kind: str, since: str, **params: Any) -> dict[int, dict[str, Any]]:
    return await sync_pages(org, who, kind, since, PAGE, **params)


async def add_child(org: Any, kind: str, customer: dict[str, Any], name: str) -> dict[str, Any]:
    """A contact added by the customer's owner, or an opportunity the admin owns
    (so nobody else sees it through its owner: only through its customer)."""
    if kind == "contacts":
        owner = next(n for n in ("rep_sh", "rep_west", "rep_east2") if getattr(org, n).id == customer["owner_id"])
        response = await org.post(owner, "/api/v1/contacts", {"name": name, "customer_id": customer["id"]})
    else:
        response = await org.post("admin", "/api/v1/opportunities", {"name": name, "customer_id": customer["id"]})
    assert response.status_code == 201, response.text
    return response.json()


async def assert_sync(org: Any, kind: str, since: str, child: dict[str, Any], *,
                      gone_for: tuple[str, ...] = (), live_for: tuple[str, ...] = (),
                      absent_for: tuple[str, ...] = ()) -> None:
    for who in gone_for:
        assert gone((await sync(org, who, kind, since)).get(child["id"])), (who, kind, since)
        # Whatever the list asked for: the phone must drop it.
        filtered = await sync(org, who, kind, since, customer_id=child["customer_id"])
        assert gone(filtered.get(child["id"])), (who, kind, "filtered")
    for who in live_for:
        assert live((await sync(org, who, kind, since)).get(child["id"])), (who, kind, since)
    for who in absent_for:
        assert child["id"] not in await sync(org, who, kind, since), (who, kind, since)


@pytest.mark.parametrize("kind", KINDS)
async def test_transferred_away(org, kind) -> None:
    customer = await make_customer(org, "rep_sh", f"转走贸易{kind}")
    child = await add_child(org, kind, customer, "王经理")
    since = _now()
    moved = await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    assert moved.status_code == 200, moved.text
    await assert_sync(org, kind, since, child, gone_for=("rep_sh", "manager_east"),
                      live_for=("rep_west", "manager_west"), absent_for=("rep_east1", "admin"))


@pytest.mark.parametrize("kind", KINDS)
async def test_released_to_the_pool_then_claimed_by_another_team(org, kind) -> None:
    customer = await make_customer(org, "rep_sh", f"公海水产{kind}")
    child = await add_child(org, kind, customer, "李总")
    since = _now()
    await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/share", {"user_ids": [org.rep_east1.id]})
    released = await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/release", {"reason": "不做了"})
    assert released.status_code == 200, released.text
    # In the pool everyone sees it, also those who never did before.
    await assert_sync(org, kind, since, child, live_for=("rep_sh", "rep_east1", "rep_west", "manager_west"))
    claimed_at = _now()
    assert (await org.post("rep_west", f"/api/v1/customers/{customer['id']}/claim")).status_code == 200
    for when in (since, claimed_at):
        await assert_sync(org, kind, when, child, gone_for=("rep_sh", "rep_east1", "rep_east2", "manager_east"),
                          live_for=("rep_west", "manager_west"))


@pytest.mark.parametrize("kind", KINDS)
async def test_shared_then_unshared(org, kind) -> None:
    customer = await make_customer(org, "rep_west", f"共享物流{kind}")
    child = await add_child(org, kind, customer, "赵工")
    since = _now()
    share = f"/api/v1/customers/{customer['id']}/share"
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_sh.id, org.rep_east1.id]})).status_code == 200
    # Shared: the child did not change, yet it comes to the colleagues (only to them).
    await assert_sync(org, kind, since, child, live_for=("rep_sh", "rep_east1"),
                      absent_for=("rep_east2", "manager_east"))
    unshared_at = _now()
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_east1.id]})).status_code == 200
    await assert_sync(org, kind, since, child, gone_for=("rep_sh",), live_for=("rep_east1",),
                      absent_for=("rep_west",))
    # Who kept it since the last sync hears nothing.
    await assert_sync(org, kind, unshared_at, child, gone_for=("rep_sh",), absent_for=("rep_east1", "rep_west"))
    again = _now()
    assert (await org.post("rep_west", share, {"user_ids": [org.rep_sh.id]})).status_code == 200
    await assert_sync(org, kind, again, child, gone_for=("rep_east1",), live_for=("rep_sh",))


@pytest.mark.parametrize("kind", KINDS)
async def test_owner_moved_to_another_department(org, kind) -> None:
    customer = await make_customer(org, "rep_sh", f"搬家商贸{kind}")
    child = await add_child(org, kind, customer, "钱会计")
    since = _now()
    moved = await org.patch("admin", f"/api/v1/users/{org.rep_sh.id}", {"department_id": org.departments["west"].id})
    assert moved.status_code == 200, moved.text
    await assert_sync(org, kind, since, child, gone_for=("manager_east",), live_for=("manager_west",),
                      absent_for=("rep_west",))


@pytest.mark.parametrize("kind", KINDS)
async def test_manager_gives_up_a_department_and_takes_it_back(org, kind) -> None:
    customer = await make_customer(org, "rep_east2", f"放手机电{kind}")
    child = await add_child(org, kind, customer, "孙经理")
    since = _now()
    changed = await org.patch("admin", f"/api/v1/users/{org.manager_east.id}",
                              {"managed_department_ids": [org.departments["east_sh"].id]})
    assert changed.status_code == 200, changed.text
    await assert_sync(org, kind, since, child, gone_for=("manager_east",))
    regained = _now()
    await org.patch("admin", f"/api/v1/users/{org.manager_east.id}",
                    {"managed_department_ids": [org.departments["east"].id]})
    await assert_sync(org, kind, regained, child, live_for=("manager_east",))


@pytest.mark.parametrize("kind", KINDS)
async def test_department_moved_under_another_manager(org, kind) -> None:
    customer = await make_customer(org, "rep_sh", f"迁移化工{kind}")
    child = await add_child(org, kind, customer, "周主任")
    since = _now()
    moved = await org.patch("admin", f"/api/v1/departments/{org.departments['east_sh'].id}",
                            {"parent_id": org.departments["west"].id})
    assert moved.status_code == 200, moved.text
    await assert_sync(org, kind, since, child, gone_for=("manager_east",), live_for=("manager_west",))


@pytest.mark.parametrize("kind", KINDS)
async def test_deleted_while_out_of_sight_and_deleted_long_ago(org, kind) -> None:
    customer = await make_customer(org, "rep_sh", f"删除纺织{kind}")
    old = await add_child(org, kind, customer, "吴一")
    kept = await add_child(org, kind, customer, "吴二")
    deleter = "rep_sh" if kind == "contacts" else "admin"
    assert (await org.delete(deleter, f"/api/v1/{kind}/{old['id']}")).status_code in (200, 204)
    since = _now()
    await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    if kind == "opportunities":
        assert (await org.delete("admin", f"/api/v1/{kind}/{kept['id']}")).status_code in (200, 204)
    seen = await sync(org, "rep_sh", kind, since)
    # Gone before the phone last synced: it already dropped it, nothing to say.
    assert old["id"] not in seen
    assert gone(seen.get(kept["id"]))


async def test_an_opportunity_seen_through_its_owner_stays(org) -> None:
    customer = await make_customer(org, "rep_sh", "自己的机会贸易")
    response = await org.post("rep_sh", "/api/v1/opportunities", {"name": "年单", "customer_id": customer["id"]})
    assert response.status_code == 201, response.text
    opportunity = response.json()
    since = _now()
    await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    # The customer went to the west, but rep_sh still owns the opportunity:
    # neither rep_sh nor their manager may be told to drop it (the record, as it
    # is now, may come again).
    for who in ("rep_sh", "manager_east"):
        item = (await sync(org, who, "opportunities", since)).get(opportunity["id"])
        assert item is None or live(item), who
    assert live((await sync(org, "rep_west", "opportunities", since)).get(opportunity["id"]))


@pytest.mark.parametrize("kind", KINDS)
async def test_small_pages_give_what_one_big_page_gives(org, kind) -> None:
    mine = [await make_customer(org, "rep_sh", f"分页{n}号贸易{kind}") for n in range(3)]
    children = [await add_child(org, kind, c, f"联系人{n}{i}") for n, c in enumerate(mine) for i in range(2)]
    since = _now()
    for customer in mine[:2]:
        await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    editor = "rep_sh" if kind == "contacts" else "admin"
    assert (await org.patch(editor, f"/api/v1/{kind}/{children[4]['id']}", {"name": "改名"})).status_code == 200
    small = await sync(org, "rep_sh", kind, since)
    big = (await org.get("rep_sh", f"/api/v1/{kind}", params={"updated_since": since, "limit": 200})).json()
    assert big["next_cursor"] is None
    assert small == {item["id"]: item for item in big["items"]}
    assert [gone(small.get(c["id"])) for c in children] == [True, True, True, True, False, False]
    assert small[children[4]["id"]]["name"] == "改名"
    gained = (await org.get("rep_west", f"/api/v1/{kind}", params={"updated_since": since, "limit": 200})).json()
    assert sorted(item["id"] for item in gained["items"]) == sorted(c["id"] for c in children[:4])


async def test_a_transferred_customer_comes_once_to_its_new_owner(org) -> None:
    customer = await make_customer(org, "rep_sh", "一次到货贸易")
    since = _now()
    await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    page = (await org.get("rep_west", "/api/v1/customers", params={"updated_since": since, "limit": 200})).json()
    assert [item["id"] for item in page["items"]] == [customer["id"]]
