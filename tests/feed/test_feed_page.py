"""The hand-written feed statement (server.queries.feed_page) selects and renders
exactly what the ORM definition does: `visible_items(viewer)` filtered by
`scope_q`, newest first, with `liked_by_me`."""

from __future__ import annotations

import itertools

from server.access import viewer_for
from server.clock import utcnow
from server.models.customers import Opportunity
from server.models.feed import FeedAudience, FeedItem, FeedLike, Follow
from server.paging import newest_first
from server.queries.feed import render_items, scope_q, visible_items
from server.queries.feed_page import plain_page
from tests.feed.conftest import make_customer

SCOPES = ("following", "public", "mine", "team")
PEOPLE = ("admin", "manager_east", "manager_west", "rep_sh", "rep_east1", "rep_east2", "rep_west", "loner")
AUTHORS = ("manager_east", "rep_sh", "rep_east1", "rep_west", "loner")
VISIBILITIES = ("public", "department", "private")


async def _world(org) -> None:
    """Every visibility × subject × author, with audience, follows, likes and deletions."""
    await org.add_user("loner", "rep", None)  # in no department
    u = org.users
    shared = await make_customer(u["rep_west"], "共享客户", shared_with=[u["rep_east1"]])
    subjects = [
        (None, None),
        ("customer", (await make_customer(u["rep_sh"], "上海客户")).id),
        ("customer", (await make_customer(None, "公海客户", in_pool=True)).id),
        ("customer", (await make_customer(u["rep_west"], "西区客户")).id),
        ("customer", shared.id),
        ("opportunity", (await Opportunity.create(name="机会一", customer_id=shared.id, owner_id=u["rep_west"].id)).id),
        ("opportunity", (await Opportunity.create(name="机会二", customer_id=shared.id, owner_id=u["rep_sh"].id)).id),
    ]
    gone = await make_customer(u["rep_sh"], "已删除客户")
    gone.deleted_at = utcnow()
    await gone.save()
    subjects.append(("customer", gone.id))
    items = []
    for n, (author, visibility, (kind, subject_id)) in enumerate(itertools.product(AUTHORS, VISIBILITIES, subjects)):
        items.append(await FeedItem.create(
            kind="post", author_id=u[author].id, body=f"动态{n}", visibility=visibility,
            department_id=u[author].department_id, subject_type=kind, subject_id=subject_id,
            mentions=[u["rep_east2"].id] if n % 5 == 0 else [], attachments=[{"n": n}] if n % 7 == 0 else []))
    for n, item in enumerate(items):
        if n % 4 == 0:
            await FeedAudience.create(item_id=item.id, user_id=u["rep_east2"].id, reason="mention")
        if n % 6 == 1:
            await FeedAudience.create(item_id=item.id, user_id=u["rep_west"].id, reason="announcement")
        if n % 3 == 0:
            await FeedLike.create(post_id=item.id, user_id=u["rep_sh"].id)
        if n % 9 == 0:
            await FeedLike.create(post_id=item.id, user_id=u["manager_west"].id)
        if n % 11 == 0:
            item.deleted_at = utcnow()
            await item.save()
    await Follow.create(user_id=u["rep_east2"].id, target_type="user", target_id=u["rep_west"].id)
    await Follow.create(user_id=u["rep_east1"].id, target_type="customer", target_id=shared.id)
    await Follow.create(user_id=u["manager_west"].id, target_type="opportunity", target_id=subjects[6][1])
    await Follow.create(user_id=u["loner"].id, target_type="user", target_id=u["rep_sh"].id)


async def _orm_page(viewer, scope: str, limit: int, cursor):
    qs = visible_items(viewer)
    condition = await scope_q(viewer, scope)
    if condition is not None:
        qs = qs.filter(condition)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return {"items": await render_items(viewer, rows), "next_cursor": next_cursor}


async def test_every_scope_and_role_matches_the_orm_definition(org) -> None:
    await _world(org)
    seen = {}
    for who in PEOPLE:
        viewer = await viewer_for(org.users[who])
        for scope in SCOPES:
            expected = await _orm_page(viewer, scope, 500, None)
            assert await plain_page(viewer, scope, 500, None) == expected, (who, scope)
            seen[who, scope] = len(expected["items"])
    total = await FeedItem.filter(deleted_at=None).count()
    assert seen["admin", "team"] == total
    assert 0 < seen["rep_sh", "following"] < seen["manager_east", "following"] < total  # the rule bites
    assert any(i["liked_by_me"] for i in (await plain_page(await viewer_for(org.rep_sh), "public", 500, None))["items"])


async def test_pages_match_too(org) -> None:
    await _world(org)
    viewer = await viewer_for(org.manager_east)
    fast_cursor = orm_cursor = None
    pages = 0
    while True:
        fast = await plain_page(viewer, "following", 7, fast_cursor)
        orm = await _orm_page(viewer, "following", 7, orm_cursor)
        assert fast == orm
        pages += 1
        fast_cursor, orm_cursor = fast["next_cursor"], orm["next_cursor"]
        if fast_cursor is None:
            break
    assert pages > 3


async def test_the_api_serves_the_plain_page_and_refuses_a_foreign_cursor(org) -> None:
    await _world(org)
    answer = await org.get("rep_east1", "/api/v1/feed?scope=following&limit=5")
    assert answer.status_code == 200 and len(answer.json()["items"]) == 5
    bad = await org.get("rep_east1", "/api/v1/feed?cursor=InRleHQi")  # "text": not an id
    assert bad.status_code == 422 and "cursor" in bad.text
    huge = await org.get("rep_east1", "/api/v1/feed?scope=following&limit=5&cursor=OTk5OTk5OTk5OTk5")  # 999999999999
    assert huge.status_code == 200 and huge.json()["items"] == answer.json()["items"]
