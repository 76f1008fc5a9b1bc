"""The work feed (工作圈): posts, comments, likes and follows."""

from __future__ import annotations

from typing import Any

from mobile_api.pagination import PageQuery
from mobile_api.routing import Call, Reply, api
from mobile_api.schemas import feed as s
from server.actions import feed, follows
from server.errors import not_found
from server.events import FeedItemPayload
from server.queries import feed as q
from server.render.feed import render_comment


async def _item_answer(call: Call, item: Any) -> FeedItemPayload:
    return (await q.render_items(call.viewer, [item]))[0]


@api.post("/api/v1/posts", body=s.PostIn, response=s.FeedItem, status=201, idempotent=True, errors=(404,))
async def create_post(call: Call) -> Any:
    """Post to the feed; @-mentions of people who may see it are resolved."""
    body = call.body
    subject = body.subject.model_dump() if body.subject else None
    attachments = [a.model_dump(exclude_none=True) for a in body.attachments]
    item = await feed.create_post(call.viewer, body.body, body.visibility, subject, attachments)
    return await _item_answer(call, item)


@api.get("/api/v1/posts/{id:int}", response=s.FeedItem)
async def get_post(call: Call) -> Any:
    """One feed item."""
    return await _item_answer(call, await q.access_item(call.viewer, call["id"]))


@api.get("/api/v1/feed", query=s.FeedQuery, response=s.FeedPage)
async def get_feed(call: Call) -> Any:
    """The feed, newest first: following, public, mine or team, optionally about one record."""
    qp = call.query
    return await q.list_feed(call.viewer, qp.scope, qp.limit, qp.cursor, qp.subject_type, qp.subject_id)


@api.post("/api/v1/posts/{id:int}/comments", body=s.CommentIn, response=s.Comment, status=201,
          idempotent=True, errors=(404,))
async def add_comment(call: Call) -> Any:
    """Comment on a feed item."""
    return render_comment(await feed.add_comment(call.viewer, call["id"], call.body.body))


@api.get("/api/v1/posts/{id:int}/comments", query=PageQuery, response=s.CommentPage)
async def list_comments(call: Call) -> Any:
    """Comments on a feed item, oldest first."""
    return await q.list_comments(call.viewer, call["id"], call.query.limit, call.query.cursor)


@api.post("/api/v1/posts/{id:int}/like", response=s.FeedItem, errors=(404,))
async def like(call: Call) -> Any:
    """Like a feed item (liking twice changes nothing)."""
    return await _item_answer(call, await feed.like(call.viewer, call["id"]))


@api.delete("/api/v1/posts/{id:int}/like", response=s.FeedItem, errors=(404,))
async def unlike(call: Call) -> Any:
    """Take a like back."""
    return await _item_answer(call, await feed.unlike(call.viewer, call["id"]))


@api.post("/api/v1/follows", body=s.FollowIn, response=s.Follow, status=201, errors=(404,), also=(200,))
async def follow(call: Call) -> Any:
    """Follow a colleague, customer or opportunity (200 when already followed)."""
    row, created = await follows.follow(call.viewer, call.body.target_type, call.body.target_id)
    answer = q.render_follow(row.target_type, row.target_id, False, row.created_at)
    return answer if created else Reply(answer, 200)


@api.delete("/api/v1/follows/{target_type:str}/{target_id:int}", status=204, errors=(404, 409))
async def unfollow(call: Call) -> None:
    """Stop following."""
    if call["target_type"] not in q.FOLLOW_TYPES:
        raise not_found("follow")
    await follows.unfollow(call.viewer, call["target_type"], call["target_id"])


@api.get("/api/v1/follows", response=s.FollowList)
async def list_follows(call: Call) -> Any:
    """What the caller follows, chosen and automatic."""
    return await q.list_follows(call.viewer)
