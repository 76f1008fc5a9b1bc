"""Who sees which feed items, what a person follows, and reading the feed.

An administrator sees every item. Anyone else sees an item when

1. they wrote it, or
2. they are in its audience (mentioned in it, or addressed by an
   announcement) and it is about nothing or about something they may see, or
3. it is not private, and
   - it is about a customer, an opportunity or a lead they may see (the subject
     decides, whatever the department: an item about a customer you may
     not see is hidden even when public), or
   - it is about nothing, and it is public, or it is a department item of
     their own department or (managers) of a department they manage,
     recursively.

`visible_items` states the rule in SQL for lists and counts; `may_see_item`
asks the same query about one item, so the two cannot disagree.
See docs/feed-and-notifications.md.
"""

from __future__ import annotations

from typing import Any, Literal

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet, ValuesQuery

from server.access import Viewer, managers_of, viewer_for
from server.errors import invalid_field, not_found
from server.events import FeedItemPayload
from server.models.feed import FeedAudience, FeedComment, FeedItem, FeedLike, Follow
from server.models.identity import User
from server.paging import decode_cursor, encode_cursor, newest_first, page
from server.queries import feed_page
from server.queries.customers import visible_customers
from server.queries.leads import visible_leads
from server.queries.opportunities import visible_opportunities
from server.queries.orm import column

SUBJECT_TYPES = ("customer", "opportunity", "lead")
FOLLOW_TYPES = ("user", "customer", "opportunity", "lead")


def visible_opportunity_ids(viewer: Viewer) -> ValuesQuery[Literal[False]]:
    """Ids of the opportunities the viewer may see (`server.queries.opportunities`)."""
    return visible_opportunities(viewer).values("id")


def subject_q(viewer: Viewer) -> Q:
    """Items about a customer, an opportunity or a lead this (non-admin) viewer may see."""
    customers = Subquery(visible_customers(viewer).values("id"))
    opportunities = Subquery(visible_opportunity_ids(viewer))
    leads = Subquery(visible_leads(viewer).values("id"))
    return (Q(subject_type="customer", subject_id__in=customers)
            | Q(subject_type="opportunity", subject_id__in=opportunities)
            | Q(subject_type="lead", subject_id__in=leads))


def departments_seen(viewer: Viewer) -> list[int]:
    """Departments whose department-only items the viewer sees."""
    own = {viewer.user.department_id} if viewer.user.department_id else set()
    return sorted(own | set(viewer.scope_department_ids))


def visibility_q(viewer: Viewer) -> Q | None:
    """The condition on `feed_items` rows this viewer may see; None means all.

    Written with the subject test once (it is the costly part): the viewer
    wrote it, or its subject is visible (or it has none) and they are named
    on it or it is open to them.
    """
    if viewer.is_admin:
        return None
    subject_ok = Q(subject_type=None) | subject_q(viewer)
    named = Q(id__in=Subquery(FeedAudience.filter(user_id=viewer.id).values("item_id")))
    open_to_viewer = ~Q(visibility="private") & (
        ~Q(subject_type=None) | Q(visibility="public")
        | Q(visibility="department", department_id__in=departments_seen(viewer))
    )
    return Q(author_id=viewer.id) | (subject_ok & (named | open_to_viewer))


def visible_items(viewer: Viewer) -> QuerySet[FeedItem]:
    qs = FeedItem.filter(deleted_at=None)
    condition = visibility_q(viewer)
    return qs if condition is None else qs.filter(condition)


async def access_item(viewer: Viewer, item_id: int) -> FeedItem:
    """The item, or 404 when it does not exist or is not visible to the viewer."""
    item = await visible_items(viewer).get_or_none(id=item_id)
    if item is None:
        raise not_found("post")
    return item


async def may_see_item(viewer: Viewer, item: FeedItem) -> bool:
    if viewer.is_admin or item.author_id == viewer.id:
        return True
    return await visible_items(viewer).filter(id=item.id).exists()


async def sees_subject(viewer: Viewer, subject_type: str | None, subject_id: int | None) -> bool:
    """True when the item is about nothing, or about a record the viewer may see."""
    if subject_type is None or viewer.is_admin:
        return True
    if subject_type == "customer":
        return await visible_customers(viewer).filter(id=subject_id).exists()
    if subject_type == "lead":
        return await visible_leads(viewer).filter(id=subject_id).exists()
    return await visible_opportunities(viewer).filter(id=subject_id).exists()


async def who_may_see(item: FeedItem, user_ids: set[int]) -> set[int]:
    """The subset of `user_ids` (active people) who may see the item."""
    people = await User.filter(id__in=sorted(user_ids), active=True)
    public = item.visibility == "public" and item.subject_type is None
    result = set()
    for person in people:
        if public or await may_see_item(await viewer_for(person), item):
            result.add(person.id)
    return result


async def mentionable(item: FeedItem, user_ids: set[int]) -> set[int]:
    """Who of `user_ids` may be mentioned on a new item: people who may see it, and
    for a private item anyone who may see its subject (being mentioned lets them in)."""
    if item.visibility != "private":
        return await who_may_see(item, user_ids)
    people = await User.filter(id__in=sorted(user_ids), active=True)
    return {p.id for p in people if await sees_subject(await viewer_for(p), item.subject_type, item.subject_id)}


async def following_q(viewer: Viewer) -> Q:
    """Items by the viewer and the people they follow, or about what they follow."""
    rows = await Follow.filter(user_id=viewer.id).values_list("target_type", "target_id")
    chosen = {kind: sorted(t for k, t in rows if k == kind) for kind in FOLLOW_TYPES}
    authors = (set(chosen["user"]) | set(viewer.team_user_ids) | {viewer.id})
    condition = Q(author_id__in=sorted(authors))
    for subject_type in SUBJECT_TYPES:
        if chosen[subject_type]:
            condition |= Q(subject_type=subject_type, subject_id__in=chosen[subject_type])
    return condition


async def followers_of(item: FeedItem) -> set[int]:
    """People following the item's author (by choice or as their manager) or its subject."""
    followers = set(await column(Follow.filter(target_type="user", target_id=item.author_id), "user_id"))
    followers |= set(await managers_of(item.author_id))
    if item.subject_type and item.subject_id:
        followers |= set(await column(Follow.filter(
            target_type=item.subject_type, target_id=item.subject_id
        ), "user_id"))
    return followers


async def audience_of(item_id: int) -> set[int]:
    return set(await column(FeedAudience.filter(item_id=item_id), "user_id"))


async def feed_recipients(item: FeedItem) -> set[int]:
    """Who gets `feed.new`: the author, the people named on it and the author's and
    subject's followers — each only if they may see the item."""
    named = await audience_of(item.id) | set(item.mentions or [])
    if item.subject_type is None:  # named people see an item about nothing: no need to ask
        return await who_may_see(item, await followers_of(item) - named - {item.author_id}) | named | {item.author_id}
    candidates = await followers_of(item) | named
    return await who_may_see(item, candidates - {item.author_id}) | {item.author_id}


async def comment_recipients(item: FeedItem) -> set[int]:
    """Who gets `comment.new`: everyone `feed.new` would reach now, and the commenters."""
    commenters = set(await column(FeedComment.filter(post_id=item.id), "author_id"))
    return await feed_recipients(item) | await who_may_see(item, commenters)


async def liked_ids(user_id: int, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(await column(FeedLike.filter(user_id=user_id, post_id__in=item_ids), "post_id"))


async def render_items(viewer: Viewer, items: list[FeedItem]) -> list[FeedItemPayload]:
    from server.render.feed import render_feed_item

    liked = await liked_ids(viewer.id, [i.id for i in items])
    reader = (viewer.user.language, viewer.user.timezone)
    return [render_feed_item(i, i.id in liked, reader) for i in items]


async def scope_q(viewer: Viewer, scope: str) -> Q | None:
    """following: by the viewer and whom they follow, or about what they follow ·
    public: items posted for everyone · mine: by the viewer ·
    team: by the viewer's department (reps) or the departments they manage (managers); all for admins."""
    if scope == "following":
        return await following_q(viewer)
    if scope == "public":
        return Q(visibility="public")
    if scope == "mine":
        return Q(author_id=viewer.id)
    if viewer.is_admin:
        return None
    if viewer.is_manager:
        return Q(author_id__in=sorted(viewer.team_user_ids | {viewer.id}))
    colleagues = User.filter(department_id=viewer.user.department_id).values("id")
    return Q(author_id__in=Subquery(colleagues)) if viewer.user.department_id else Q(author_id=viewer.id)


async def list_feed(
    viewer: Viewer, scope: str, limit: int, cursor: str | None,
    subject_type: str | None = None, subject_id: int | None = None,
) -> dict[str, Any]:
    """A page of the feed, newest first by id (stable while new items arrive)."""
    if subject_type is None and subject_id is None:
        return await feed_page.plain_page(viewer, scope, limit, cursor)
    qs = visible_items(viewer)
    condition = await scope_q(viewer, scope)
    if condition is not None:
        qs = qs.filter(condition)
    if subject_type is not None or subject_id is not None:
        if not await sees_subject(viewer, subject_type or "customer", subject_id):
            raise not_found(subject_type or "customer")
        qs = qs.filter(subject_type=subject_type or "customer", subject_id=subject_id)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page(await render_items(viewer, rows), next_cursor)


async def list_comments(viewer: Viewer, item_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """Comments on a visible item, oldest first."""
    from server.render.feed import render_comment

    item = await access_item(viewer, item_id)
    qs = FeedComment.filter(post_id=item.id)
    after = decode_cursor(cursor)
    if after is not None:
        if not isinstance(after, int) or isinstance(after, bool):
            raise invalid_field("cursor", "is not a cursor this server gave out")
        qs = qs.filter(id__gt=after)
    rows = await qs.order_by("id").limit(limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    return page([render_comment(c) for c in rows], encode_cursor(rows[-1].id) if more and rows else None)


async def list_follows(viewer: Viewer) -> dict[str, Any]:
    """Chosen follows, then the automatic ones (a manager's team), as one list."""
    rows = await Follow.filter(user_id=viewer.id).order_by("id")
    chosen = {(r.target_type, r.target_id) for r in rows}
    items = [render_follow(r.target_type, r.target_id, False, r.created_at) for r in rows]
    items += [render_follow("user", u, True, None) for u in sorted(viewer.team_user_ids - {viewer.id})
              if ("user", u) not in chosen]
    return page(items)


def render_follow(target_type: str, target_id: int, automatic: bool, created_at: Any) -> dict[str, Any]:
    from server.render import iso

    return {"target_type": target_type, "target_id": target_id, "automatic": automatic,
            "created_at": iso(created_at)}
