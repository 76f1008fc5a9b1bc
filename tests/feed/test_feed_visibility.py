"""Who sees which feed item, and who gets it live: one table, every path checked.

For each item: the people who may read it (GET /posts/{id}, the public and
team scopes, the subject filter) and the people who receive `feed.new`.
"""

from __future__ import annotations

from typing import Any

from tests.feed.conftest import make_customer, post

EVERYONE = {"admin", "manager_east", "manager_west", "rep_east1", "rep_east2", "rep_sh", "rep_west"}


async def _world(org: Any) -> dict[str, dict[str, Any]]:
    """Customers, follows and the items of the table."""
    own = await make_customer(org.rep_east1, "东方贸易", shared_with=[org.rep_west])
    pool = await make_customer(None, "公海物流", in_pool=True)
    assert (await org.post("rep_west", "/api/v1/follows", {"target_type": "user", "target_id": org.rep_east1.id})).status_code == 201
    assert (await org.post("rep_east2", "/api/v1/follows", {"target_type": "customer", "target_id": pool.id})).status_code == 201
    about_own = {"subject": {"type": "customer", "id": own.id}}
    return {
        "public": await post(org, "rep_east1", "大家好"),
        "department": await post(org, "rep_east1", "East only", visibility="department"),
        "private_mention": await post(org, "rep_east1", "just you @rep_west", visibility="private"),
        "about_own_customer": await post(org, "rep_east1", "visited", **about_own),
        "department_sub": await post(org, "rep_sh", "Shanghai team", visibility="department"),
        "about_pool": await post(org, "rep_west", "pool lead", subject={"type": "customer", "id": pool.id}),
        "private_unseen_mention": await post(
            org, "rep_east1", "@李娜 cannot see this customer", visibility="private", **about_own),
    }


READERS = {
    "public": EVERYONE,
    "department": {"rep_east1", "rep_east2", "manager_east", "admin"},
    "private_mention": {"rep_east1", "rep_west", "admin"},
    "about_own_customer": {"rep_east1", "manager_east", "rep_west", "admin"},
    "department_sub": {"rep_sh", "manager_east", "admin"},
    "about_pool": EVERYONE,
    "private_unseen_mention": {"rep_east1", "admin"},
}

LIVE = {
    "public": {"rep_east1", "manager_east", "rep_west"},
    "department": {"rep_east1", "manager_east"},
    "private_mention": {"rep_east1", "rep_west"},
    "about_own_customer": {"rep_east1", "manager_east", "rep_west"},
    "department_sub": {"rep_sh", "manager_east"},
    "about_pool": {"rep_west", "manager_west", "rep_east2"},
    "private_unseen_mention": {"rep_east1"},
}

MENTIONS = {"private_mention": {"rep_west"}, "private_unseen_mention": set()}


async def test_readers_of_each_item(org: Any) -> None:
    items = await _world(org)
    for name, item in items.items():
        readers = set()
        for who in EVERYONE:
            status = (await org.get(who, f"/api/v1/posts/{item['id']}")).status_code
            assert status in (200, 404), (name, who, status)
            if status == 200:
                readers.add(who)
        assert readers == READERS[name], name


async def test_lists_hold_exactly_the_visible_items(org: Any) -> None:
    items = await _world(org)
    ids = {item["id"]: name for name, item in items.items()}
    for who in EVERYONE:
        expected = {name for name, readers in READERS.items() if who in readers}
        listed = await _all_pages(org, who, "/api/v1/feed?scope=team&limit=2") if who == "admin" else None
        public = await _all_pages(org, who, "/api/v1/feed?scope=public&limit=2")
        assert {ids[i] for i in public} == {n for n in expected if items[n]["visibility"] == "public"}, who
        if listed is not None:
            assert {ids[i] for i in listed} == expected


async def test_feed_new_goes_to_followers_who_may_see(org: Any, event_log: Any) -> None:
    items = await _world(org)
    received: dict[str, set[str]] = {name: set() for name in items}
    by_id = {item["id"]: name for name, item in items.items()}
    for who in EVERYONE:
        for event in await event_log(org.users[who].id):
            if event["type"] == "feed.new":
                received[by_id[event["data"]["id"]]].add(who)
    assert received == LIVE


async def test_mentions_only_of_people_who_may_see(org: Any) -> None:
    items = await _world(org)
    for name, expected in MENTIONS.items():
        assert set(items[name]["mentions"]) == {org.users[w].id for w in expected}, name


async def test_subject_filter_hides_an_invisible_subject(org: Any) -> None:
    items = await _world(org)
    customer_id = items["about_own_customer"]["subject"]["id"]
    path = f"/api/v1/feed?scope=public&subject_type=customer&subject_id={customer_id}"
    mine = (await org.get("manager_east", path)).json()["items"]
    assert [i["id"] for i in mine] == [items["about_own_customer"]["id"]]
    assert (await org.get("rep_east2", path)).status_code == 404


async def _all_pages(org: Any, who: str, path: str) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        answer = (await org.get(who, path + (f"&cursor={cursor}" if cursor else ""))).json()
        ids += [i["id"] for i in answer["items"]]
        cursor = answer["next_cursor"]
        if not cursor:
            return ids
