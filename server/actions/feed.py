"""Posting to the work feed, commenting and liking."""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from server.access import Viewer
from server.actions.files import mark_attached
from server.actions.feed_items import PREVIEW_CHARS, record_feed_item
from server.actions.notify import notify
from server.errors import invalid_field
from server.events import EventType
from server.i18n import Text
from server.mentions import resolve_mentions
from server.models.feed import FeedComment, FeedItem, FeedLike
from server.queries.attachments import check_post_attachments
from server.queries.customers import access_customer
from server.queries.feed import access_item, comment_recipients, who_may_see
from server.queries.opportunities import access_opportunity
from server.queries.orm import column
from server.render.feed import render_comment
from server.transaction import atomic, emit


async def create_post(
    viewer: Viewer, body: str, visibility: str = "public",
    subject: dict[str, Any] | None = None, attachments: list[Any] | None = None,
) -> FeedItem:
    """A post by the viewer; a subject must be a customer or opportunity they may see."""
    subject_type, subject_id = await _check_subject(viewer, subject)
    attachments = await check_post_attachments(viewer, attachments or [])
    async with atomic():
        item = await record_feed_item(
            viewer.user, "post", body, visibility=visibility, subject_type=subject_type,
            subject_id=subject_id, attachments=attachments, refuse_ambiguous_mentions=True,
        )
        await mark_attached(a["id"] for a in attachments if a.get("type") in ("photo", "file"))
    return item


async def _check_subject(viewer: Viewer, subject: dict[str, Any] | None) -> tuple[str | None, int | None]:
    if not subject or subject.get("type") is None:
        return None, None
    subject_type, subject_id = subject["type"], subject.get("id")
    if not isinstance(subject_id, int) or isinstance(subject_id, bool):
        raise invalid_field("subject.id", "must be the id of the customer or opportunity")
    if subject_type == "customer":
        await access_customer(viewer, subject_id)
    else:
        await access_opportunity(viewer, subject_id)
    return subject_type, subject_id


async def add_comment(viewer: Viewer, item_id: int, body: str) -> FeedComment:
    """Comment on an item the viewer may see.

    The item's author and earlier commenters get a `comment` notification,
    people @-mentioned (who may see the item) a `mention` one instead; never
    the commenter. `comment.new` goes to `comment_recipients`.
    """
    async with atomic():
        item = await access_item(viewer, item_id)
        earlier = set(await column(FeedComment.filter(post_id=item.id), "author_id"))
        wanted = set(await resolve_mentions(body, refuse_ambiguous=True)) - {viewer.id}
        mentioned = await who_may_see(item, wanted) if wanted else set()
        comment = await FeedComment.create(post_id=item.id, author_id=viewer.id, body=body,
                                           mentions=sorted(mentioned))
        await FeedItem.filter(id=item.id).update(comment_count=F("comment_count") + 1)
        emit(EventType.COMMENT_NEW, await comment_recipients(item), render_comment(comment))
        await _notify_comment(viewer, item, body, mentioned, (earlier | {item.author_id}) - mentioned)
    return comment


async def _notify_comment(viewer: Viewer, item: FeedItem, body: str, mentioned: set[int], involved: set[int]) -> None:
    name, preview = viewer.user.name, body[:PREVIEW_CHARS]
    link: dict[str, Any] = {"link_type": "post", "link_id": item.id, "data": {"post_id": item.id}}
    if mentioned:
        await notify(mentioned, "mention", Text("mention.comment", author=name), preview, **link)
    involved = await who_may_see(item, involved - {viewer.id})
    if involved:
        await notify(involved, "comment", Text("comment.new", author=name), preview, **link)


async def like(viewer: Viewer, item_id: int) -> FeedItem:
    """Like once: a second like (even at the same instant) changes nothing."""
    item = await access_item(viewer, item_id)
    try:
        async with atomic():
            await FeedLike.create(post_id=item.id, user_id=viewer.id)
            await FeedItem.filter(id=item.id).update(like_count=F("like_count") + 1)
    except IntegrityError:
        pass  # already liked: the unique (post, user) pair refused the second row
    return await FeedItem.get(id=item.id)


async def unlike(viewer: Viewer, item_id: int) -> FeedItem:
    item = await access_item(viewer, item_id)
    async with atomic():
        removed = await FeedLike.filter(post_id=item.id, user_id=viewer.id).delete()
        if removed:
            await FeedItem.filter(id=item.id).update(like_count=F("like_count") - 1)
    return await FeedItem.get(id=item.id)
