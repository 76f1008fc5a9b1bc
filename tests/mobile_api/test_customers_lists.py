"""Listing customers: scopes, owner, tags, search, distance, pages, delta sync."""

from __future__ import annotations

import datetime as dt

from tests.support.customers import ids, make_customer, make_pool_customer


async def test_scopes_split_what_a_manager_sees(org) -> None:
    own = await make_customer(org, "manager_east", "东方贸易")
    team = await make_customer(org, "rep_sh", "申城建材")
    shared = await make_customer(org, "rep_west", "西部矿业")
    await org.post("rep_west", f"/api/v1/customers/{shared['id']}/share", {"user_ids": [org.manager_east.id]})
    pooled = await make_pool_customer(org, "远洋渔业")
    hidden = await make_customer(org, "rep_west", "西湖茶业")
    base = "/api/v1/customers?scope="
    assert await ids(org, "manager_east", base + "mine") == [own["id"]]
    assert await ids(org, "manager_east", base + "team") == [team["id"], own["id"]]
    assert await ids(org, "manager_east", base + "shared") == [shared["id"]]
    assert await ids(org, "manager_east", base + "pool") == [pooled["id"]]
    everything = await ids(org, "manager_east", base + "all")
    assert sorted(everything) == sorted([own["id"], team["id"], shared["id"], pooled["id"]])
    assert hidden["id"] not in everything
    assert await ids(org, "manager_east", "/api/v1/customers") == everything


async def test_a_reps_team_is_themselves_and_an_admins_is_every_owned_customer(org) -> None:
    mine = await make_customer(org, "rep_sh", "申城建材")
    other = await make_customer(org, "rep_east1", "东海水产")
    await make_pool_customer(org, "远洋渔业")
    assert await ids(org, "rep_sh", "/api/v1/customers?scope=team") == [mine["id"]]
    assert await ids(org, "admin", "/api/v1/customers?scope=team") == [other["id"], mine["id"]]


async def test_owner_filter_stays_inside_visibility(org) -> None:
    sh = await make_customer(org, "rep_sh", "申城建材")
    await make_customer(org, "rep_east1", "东海水产")
    await make_customer(org, "rep_west", "西部矿业")
    assert await ids(org, "manager_east", f"/api/v1/customers?owner_id={org.rep_sh.id}") == [sh["id"]]
    assert await ids(org, "manager_east", f"/api/v1/customers?owner_id={org.rep_west.id}") == []


async def test_tag_filter(org) -> None:
    key = await make_customer(org, "rep_sh", "申城建材", tags=["重点", "建材"])
    await make_customer(org, "rep_sh", "东海水产", tags=["建材x"])
    assert await ids(org, "rep_sh", "/api/v1/customers?tag=重点") == [key["id"]]
    await org.patch("rep_sh", f"/api/v1/customers/{key['id']}", {"tags": ["普通"]})
    assert await ids(org, "rep_sh", "/api/v1/customers?tag=重点") == []
    assert await ids(org, "rep_sh", "/api/v1/customers?tag=普通") == [key["id"]]


async def test_q_searches_names_phones_and_contacts(org) -> None:
    by_name = await make_customer(org, "rep_sh", "Golden Bridge Trading")
    by_phone = await make_customer(org, "rep_sh", "申城建材", phone="021-6222 7788")
    by_contact = await make_customer(org, "rep_sh", "东海水产")
    await org.post("rep_sh", "/api/v1/contacts", {"customer_id": by_contact["id"], "name": "欧阳娜娜",
                                                   "mobile": "139 1234 5678"})
    assert await ids(org, "rep_sh", "/api/v1/customers?q=golden bridge") == [by_name["id"]]
    assert await ids(org, "rep_sh", "/api/v1/customers?q=62227788") == [by_phone["id"]]
    assert await ids(org, "rep_sh", "/api/v1/customers?q=(021) 6222-7788") == [by_phone["id"]]
    assert await ids(org, "rep_sh", "/api/v1/customers?q=欧阳") == [by_contact["id"]]
    assert await ids(org, "rep_sh", "/api/v1/customers?q=1234 5678") == [by_contact["id"]]
    assert await ids(org, "rep_sh", "/api/v1/customers?q=无此公司") == []


async def test_q_never_finds_invisible_customers(org) -> None:
    await make_customer(org, "rep_west", "西部矿业")
    assert await ids(org, "rep_sh", "/api/v1/customers?q=西部") == []


async def test_near_orders_by_distance_within_the_radius(org) -> None:
    people_square = (31.2304, 121.4737)
    close = await make_customer(org, "rep_sh", "南京路百货", lat=31.2350, lng=121.4800)
    closer = await make_customer(org, "rep_sh", "人民广场书店", lat=31.2310, lng=121.4740)
    farther = await make_customer(org, "rep_sh", "陆家嘴金融", lat=31.2397, lng=121.4998)
    await make_customer(org, "rep_sh", "虹桥机场餐饮", lat=31.1979, lng=121.3363)
    await make_customer(org, "rep_sh", "无坐标商店")
    near = f"{people_square[0]},{people_square[1]}"
    response = await org.get("rep_sh", f"/api/v1/customers?near={near}&radius_m=5000")
    items = response.json()["items"]
    assert [i["id"] for i in items] == [closer["id"], close["id"], farther["id"]]
    assert items[0]["distance_m"] < items[1]["distance_m"] < items[2]["distance_m"] <= 5000
    page = await org.get("rep_sh", f"/api/v1/customers?near={near}&radius_m=5000&limit=2")
    second = await org.get("rep_sh", f"/api/v1/customers?near={near}&radius_m=5000&limit=2&cursor={page.json()['next_cursor']}")
    assert [i["id"] for i in second.json()["items"]] == [farther["id"]]
    assert second.json()["next_cursor"] is None


async def test_near_rejects_points_off_the_globe(org) -> None:
    for near in ("91,0", "0,181", "abc", "31.2"):
        response = await org.get("rep_sh", "/api/v1/customers", params={"near": near})
        assert response.status_code == 422, near


async def test_pages_walk_every_customer_once(org) -> None:
    made = [(await make_customer(org, "rep_sh", f"测试公司{chr(0x4e00 + i)}{chr(0x4e50 + i)}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = (await org.get("rep_sh", "/api/v1/customers", params=params)).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(made, reverse=True)
    assert (await org.get("rep_sh", "/api/v1/customers?cursor=garbage!")).status_code == 422


async def test_delta_sync_returns_changes_and_tombstones(org) -> None:
    kept = await make_customer(org, "rep_sh", "申城建材")
    gone = await make_customer(org, "rep_sh", "东海水产")
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)).isoformat()
    await org.delete("rep_sh", f"/api/v1/customers/{gone['id']}")
    response = await org.get("rep_sh", "/api/v1/customers", params={"updated_since": since})
    items = response.json()["items"]
    assert {"id": gone["id"], "deleted": True} in items
    assert [i["name"] for i in items if "name" in i] == [kept["name"]]
    later = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1)).isoformat()
    assert (await org.get("rep_sh", "/api/v1/customers", params={"updated_since": later})).json()["items"] == []
