"""Recording a feed item: posts, and the items other actions post for people
(check-ins, activities, opportunity changes, daily reports, announcements)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from realtime.events import EventType
from server.models.feed import FeedItem
from server.models.identity import User
from server.queries.feed import feed_recipients
from server.render.feed import render_feed_item
from server.transaction import atomic, emit

KINDS = ("post", "checkin", "activity", "opportunity", "daily_report", "announcement")
VISIBILITIES = ("public", "department", "private")


async def record_feed_item(
    author: User,
    kind: str,
    body: str,
    *,
    visibility: str = "public",
    subject_type: str | None = None,
    subject_id: int | None = None,
    attachments: Sequence[Any] = (),
    mentions: Sequence[int] = (),
) -> FeedItem:
    """Create the item and send `feed.new` to everyone who should see it live.

    Call it inside the action's transaction so the item exists exactly when
    the change it reports does.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    async with atomic():
        item = await FeedItem.create(
            kind=kind, author_id=author.id, body=body, visibility=visibility,
            department_id=author.department_id, subject_type=subject_type, subject_id=subject_id,
            attachments=list(attachments), mentions=sorted(set(mentions)),
        )
        emit(EventType.FEED_NEW, await feed_recipients(item), render_feed_item(item))
    return item
