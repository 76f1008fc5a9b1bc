"""Recording a feed item: posts, and the items other actions post for people
(check-ins, activities, opportunity changes, daily reports, announcements, leads)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from server.actions.notify import notify
from server.events import EventType
from server.i18n import Text, render
from server.mentions import resolve_mentions
from server.models.feed import FeedAudience, FeedItem
from server.models.identity import User
from server.queries.feed import feed_recipients, mentionable
from server.queries.identity import readers_of
from server.render.feed import feed_body, render_feed_item
from server.transaction import atomic, emit

KINDS = ("post", "checkin", "activity", "opportunity", "daily_report", "announcement", "lead")
VISIBILITIES = ("public", "department", "private")
PREVIEW_CHARS = 200


async def record_feed_item(
    author: User,
    kind: str,
    body: str | Text,
    *,
    visibility: str = "public",
    subject_type: str | None = None,
    subject_id: int | None = None,
    attachments: Sequence[Any] = (),
    mentions: Sequence[int] = (),
    audience: Iterable[int] = (),
    department_id: int | None = None,
    refuse_ambiguous_mentions: bool = False,
) -> FeedItem:
    """Create the item and send `feed.new` to everyone who should see it live.

    People @-mentioned in `body` (and any ids in `mentions`) are mentioned
    when they may see the item; they get a `mention` notification. `audience`
    names people who see it whatever its visibility (an announcement's
    members). `department_id` defaults to the author's department.
    A name two colleagues share mentions neither (with
    `refuse_ambiguous_mentions`, as for a person's own post, it is a 422).
    Call it inside the action's transaction so the item exists exactly when
    the change it reports does. A `Text` body (a line the server writes) is
    shown to each reader in their language, on the socket and when read.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    async with atomic():
        text = body.to_json() if isinstance(body, Text) else None
        written = render(body, author.language, author.timezone)
        item = await FeedItem.create(
            kind=kind, author_id=author.id, body=written, text=text, visibility=visibility,
            department_id=department_id or author.department_id, subject_type=subject_type,
            subject_id=subject_id, attachments=list(attachments), mentions=[],
        )
        found = await resolve_mentions(written, refuse_ambiguous=refuse_ambiguous_mentions)
        wanted = (set(mentions) | set(found)) - {author.id}
        named = await mentionable(item, wanted) if wanted else set()
        item.mentions = sorted(named)
        await item.save(update_fields=["mentions"])
        await _add_audience(item.id, named, "mention")
        await _add_audience(item.id, set(audience) - named - {author.id}, kind)
        await _announce(item, await feed_recipients(item))
        if named:
            preview = body if isinstance(body, Text) else body[:PREVIEW_CHARS]
            await notify(named, "mention", Text("mention.post", author=author.name), preview,
                         link_type="post", link_id=item.id, data={"post_id": item.id})
    return item


async def _announce(item: FeedItem, recipients: set[int]) -> None:
    """`feed.new` to each recipient; a line the server wrote goes out once per
    wording, each reader getting theirs."""
    if item.text is None:
        emit(EventType.FEED_NEW, recipients, render_feed_item(item))
        return
    by_body: dict[str, list[int]] = {}
    readers = await readers_of(recipients)
    for user_id in sorted(recipients):
        by_body.setdefault(feed_body(item.body, item.text, readers.get(user_id)), []).append(user_id)
    for body, user_ids in by_body.items():
        emit(EventType.FEED_NEW, user_ids, {**render_feed_item(item), "body": body})


async def _add_audience(item_id: int, user_ids: set[int], reason: str) -> None:
    if user_ids:
        await FeedAudience.bulk_create(
            [FeedAudience(item_id=item_id, user_id=u, reason=reason) for u in sorted(user_ids)]
        )
