"""Comments, likes, follows and the feed's scopes and paging."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.feed.conftest import make_customer, post


async def test_comment_notifies_author_and_earlier_commenters_not_the_commenter(org: Any, event_log: Any) -> None:
    item = await post(org, "rep_east1", "周报")
    path = f"/api/v1/posts/{item['id']}/comments"
    assert (await org.post("rep_east2", path, {"body": "第一"})).status_code == 201
    third = await org.post("rep_sh", path, {"body": "第二"})
    assert third.status_code == 201
    assert third.json()["post_id"] == item["id"]

    async def kinds(who: str) -> list[str]:
        answer = (await org.get(who, "/api/v1/notifications?kind=comment")).json()
        return [n["title"] for n in answer["items"]]

    assert await kinds("rep_east1") == ["王芳 发表了评论", "李娜 发表了评论"]
    assert await kinds("rep_east2") == ["王芳 发表了评论"]
    assert await kinds("rep_sh") == []
    comments = (await org.get("rep_west", path)).json()["items"]
    assert [c["body"] for c in comments] == ["第一", "第二"]
    assert (await org.get("rep_west", f"/api/v1/posts/{item['id']}")).json()["comment_count"] == 2
    got = [e["data"]["id"] for e in await event_log(org.rep_east2.id) if e["type"] == "comment.new"]
    assert got == [c["id"] for c in comments]  # a commenter hears of later comments


async def test_comment_mention_notifies_once_as_a_mention(org: Any) -> None:
    item = await post(org, "rep_east1", "plan")
    answer = await org.post("rep_east2", f"/api/v1/posts/{item['id']}/comments", {"body": "@张伟 看一下"})
    assert answer.json()["mentions"] == [org.rep_east1.id]
    notes = (await org.get("rep_east1", "/api/v1/notifications")).json()["items"]
    assert [n["kind"] for n in notes] == ["mention"]
    assert notes[0]["link"] == {"type": "post", "id": item["id"]}


async def test_comment_on_an_invisible_item_is_404(org: Any) -> None:
    item = await post(org, "rep_east1", "team only", visibility="department")
    answer = await org.post("rep_west", f"/api/v1/posts/{item['id']}/comments", {"body": "hi"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert (await org.get("rep_west", f"/api/v1/posts/{item['id']}/comments")).status_code == 404
    assert (await org.post("rep_west", f"/api/v1/posts/{item['id']}/like")).status_code == 404


async def test_comment_mentioning_someone_who_cannot_see_mentions_nobody(org: Any) -> None:
    item = await post(org, "rep_east1", "team only", visibility="department")
    answer = await org.post("rep_east2", f"/api/v1/posts/{item['id']}/comments", {"body": "@rep_west look"})
    assert answer.json()["mentions"] == []
    assert (await org.get("rep_west", "/api/v1/notifications")).json()["items"] == []


async def test_likes_are_idempotent_and_exact_under_concurrency(org: Any) -> None:
    item = await post(org, "rep_east1", "like me")
    path = f"/api/v1/posts/{item['id']}/like"
    likers = ["rep_east2", "rep_sh", "rep_west", "manager_east", "admin"]
    answers = await asyncio.gather(*[org.post(w, path) for w in likers for _ in range(3)])
    assert {a.status_code for a in answers} == {200}
    after = (await org.get("rep_east2", f"/api/v1/posts/{item['id']}")).json()
    assert after["like_count"] == len(likers)
    assert after["liked_by_me"] is True
    unliked = await asyncio.gather(*[org.delete("rep_sh", path) for _ in range(3)])
    assert {a.json()["like_count"] for a in unliked} <= {4}
    again = (await org.get("rep_sh", f"/api/v1/posts/{item['id']}")).json()
    assert (again["like_count"], again["liked_by_me"]) == (4, False)


async def test_post_validation(org: Any) -> None:
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": ""})).status_code == 422
    bad = await org.post("rep_east1", "/api/v1/posts", {"body": "x", "visibility": "secret"})
    assert bad.status_code == 422 and "visibility" in bad.json()["error"]["details"]["fields"]
    other = await make_customer(org.rep_west, "西部公司")
    hidden = await org.post("rep_east1", "/api/v1/posts", {"body": "x", "subject": {"type": "customer", "id": other.id}})
    assert hidden.status_code == 404
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": "x", "subject": {"type": "customer"}})).status_code == 422


async def test_following_scope_pages_newest_first_and_stays_stable(org: Any) -> None:
    made = [await post(org, "rep_east1", f"update {n}") for n in range(5)]
    await post(org, "rep_west", "not followed by manager_east")
    first = (await org.get("manager_east", "/api/v1/feed?scope=following&limit=2")).json()
    assert [i["id"] for i in first["items"]] == [made[4]["id"], made[3]["id"]]
    await post(org, "rep_east1", "arrives while paging")
    second = (await org.get("manager_east", f"/api/v1/feed?scope=following&limit=2&cursor={first['next_cursor']}")).json()
    assert [i["id"] for i in second["items"]] == [made[2]["id"], made[1]["id"]]
    bad = await org.get("manager_east", "/api/v1/feed?cursor=nonsense")
    assert bad.status_code == 422


async def test_manager_follows_team_automatically_until_the_rep_moves(org: Any) -> None:
    follows = (await org.get("manager_east", "/api/v1/follows")).json()["items"]
    automatic = {f["target_id"] for f in follows if f["automatic"]}
    assert automatic == {org.rep_east1.id, org.rep_east2.id, org.rep_sh.id}
    moved = await org.patch("admin", f"/api/v1/users/{org.rep_sh.id}", {"department_id": org.departments["west"].id})
    assert moved.status_code == 200
    await post(org, "rep_sh", "now in West")
    feed = (await org.get("manager_east", "/api/v1/feed?scope=following")).json()["items"]
    assert feed == []
    gone = await org.delete("manager_east", f"/api/v1/follows/user/{org.rep_east1.id}")
    assert gone.status_code == 409


async def test_follow_unfollow_customer_and_errors(org: Any) -> None:
    mine = await make_customer(org.rep_east2, "南方电子")
    other = await make_customer(org.rep_west, "西部公司")
    body = {"target_type": "customer", "target_id": mine.id}
    assert (await org.post("rep_east2", "/api/v1/follows", body)).status_code == 201
    assert (await org.post("rep_east2", "/api/v1/follows", body)).status_code == 200
    assert (await org.post("rep_east2", "/api/v1/follows", {**body, "target_id": other.id})).status_code == 404
    assert (await org.post("rep_east2", "/api/v1/follows", {"target_type": "user", "target_id": org.rep_east2.id})).status_code == 422
    await post(org, "rep_east2", "about it", subject={"type": "customer", "id": mine.id})
    listed = (await org.get("rep_east2", "/api/v1/follows")).json()["items"]
    assert [(f["target_type"], f["target_id"], f["automatic"]) for f in listed] == [("customer", mine.id, False)]
    assert (await org.delete("rep_east2", f"/api/v1/follows/customer/{mine.id}")).status_code == 204
    assert (await org.delete("rep_east2", f"/api/v1/follows/customer/{mine.id}")).status_code == 404
    assert (await org.delete("rep_east2", f"/api/v1/follows/planet/{mine.id}")).status_code == 404


async def test_following_includes_followed_subjects_and_colleagues(org: Any) -> None:
    pool = await make_customer(None, "公海客户", in_pool=True)
    on_pool = await post(org, "rep_west", "pool", subject={"type": "customer", "id": pool.id})
    by_sh = await post(org, "rep_sh", "from Shanghai")
    await post(org, "manager_west", "unrelated")
    await org.post("rep_east2", "/api/v1/follows", {"target_type": "customer", "target_id": pool.id})
    await org.post("rep_east2", "/api/v1/follows", {"target_type": "user", "target_id": org.rep_sh.id})
    own = await post(org, "rep_east2", "mine")
    feed = (await org.get("rep_east2", "/api/v1/feed")).json()["items"]
    assert [i["id"] for i in feed] == [own["id"], by_sh["id"], on_pool["id"]]
    mine = (await org.get("rep_east2", "/api/v1/feed?scope=mine")).json()["items"]
    assert [i["id"] for i in mine] == [own["id"]]
