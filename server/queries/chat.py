"""Reading conversations and messages; only members see them (everyone else: 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from server.access import Viewer
from server.errors import invalid_field, not_found
from server.events import ConversationPayload
from server.models.chat import Conversation, ConversationMember, Message
from server.paging import decode_cursor, encode_cursor, page, time_id_cursor, tombstone
from server.queries.orm import column
from server.render.chat import render_conversation, render_message


async def _memberships(user_id: int) -> list[tuple[int, int]]:
    """(conversation id, last read message id) of the user's live conversations."""
    return list(
        await ConversationMember.filter(
            user_id=user_id, left_at__isnull=True, conversation__deleted_at__isnull=True
        ).values_list("conversation_id", "last_read_message_id")
    )


async def unread_counts(user_id: int, cursors: list[tuple[int, int]]) -> dict[int, int]:
    """Messages from others after each read cursor, per conversation."""
    if not cursors:
        return {}
    condition = Q()
    for index, (conversation_id, last_read) in enumerate(cursors):
        term = Q(conversation_id=conversation_id, id__gt=last_read)
        condition = term if index == 0 else (condition | term)
    rows = await (
        Message.filter(condition, deleted=False)
        .exclude(sender_id=user_id)
        .annotate(n=Count("id"))
        .group_by("conversation_id")
        .values_list("conversation_id", "n")
    )
    return {conversation_id: n for conversation_id, n in rows}


async def total_unread(user_id: int) -> int:
    """Unread chat messages over all of the user's conversations (`unread-counts` "chat")."""
    return sum((await unread_counts(user_id, await _memberships(user_id))).values())


async def member_ids(conversation_id: int) -> list[int]:
    members = ConversationMember.filter(conversation_id=conversation_id, left_at__isnull=True)
    return await column(members.order_by("user_id"), "user_id")


async def contacts_of(user_id: int) -> set[int]:
    """Everyone who shares a live conversation with the user (for presence)."""
    conversation_ids = [c for c, _ in await _memberships(user_id)]
    if not conversation_ids:
        return set()
    others = await column(ConversationMember.filter(
        conversation_id__in=conversation_ids, left_at__isnull=True
    ), "user_id")
    return set(others) - {user_id}


async def access_conversation(viewer: Viewer, conversation_id: int) -> Conversation:
    """The conversation if the viewer is a member of it now; else 404."""
    conversation = await Conversation.get_or_none(id=conversation_id, deleted_at__isnull=True)
    if conversation is None or not await ConversationMember.exists(
        conversation_id=conversation_id, user_id=viewer.id, left_at__isnull=True
    ):
        raise not_found("conversation")
    return conversation


async def access_message(viewer: Viewer, message_id: int) -> Message:
    message = await Message.get_or_none(id=message_id)
    if message is None:
        raise not_found("message")
    if not await ConversationMember.exists(
        conversation_id=message.conversation_id, user_id=viewer.id, left_at__isnull=True,
        conversation__deleted_at__isnull=True,
    ):
        raise not_found("message")
    return message


async def conversation_answer(conversation: Conversation, user_id: int) -> ConversationPayload:
    """The conversation as `user_id` sees it (their unread count)."""
    return (await render_conversations([conversation], user_id))[0]


async def render_conversations(conversations: list[Conversation], user_id: int) -> list[ConversationPayload]:
    ids = [c.id for c in conversations]
    members: dict[int, list[int]] = {i: [] for i in ids}
    cursors: dict[int, int] = {}
    for conversation_id, member_id, last_read in await ConversationMember.filter(
        conversation_id__in=ids, left_at__isnull=True
    ).values_list("conversation_id", "user_id", "last_read_message_id"):
        members[conversation_id].append(member_id)
        if member_id == user_id:
            cursors[conversation_id] = last_read
    unread = await unread_counts(user_id, list(cursors.items()))
    last_ids = [c.last_message_id for c in conversations if c.last_message_id]
    last = {m.id: m for m in await Message.filter(id__in=last_ids)} if last_ids else {}
    return [
        render_conversation(c, members[c.id], last.get(c.last_message_id or 0), unread.get(c.id, 0))
        for c in conversations
    ]


async def render_for_members(conversation: Conversation) -> dict[int, ConversationPayload]:
    """The conversation as each current member sees it (their own unread count)."""
    cursors = dict(await ConversationMember.filter(
        conversation_id=conversation.id, left_at__isnull=True
    ).values_list("user_id", "last_read_message_id"))
    if not cursors:
        return {}
    unread = await Message.filter(
        conversation_id=conversation.id, id__gt=min(cursors.values()), deleted=False
    ).values_list("id", "sender_id")
    last = await Message.get_or_none(id=conversation.last_message_id) if conversation.last_message_id else None
    return {
        user_id: render_conversation(
            conversation, list(cursors), last,
            sum(1 for message_id, sender in unread if message_id > read and sender != user_id),
        )
        for user_id, read in cursors.items()
    }


async def list_conversations(
    viewer: Viewer, limit: int, cursor: str | None, updated_since: dt.datetime | None
) -> dict[str, Any]:
    """Latest activity first; with `updated_since`, oldest change first and tombstones too."""
    if updated_since is not None:
        return await _changed_conversations(viewer, limit, cursor, updated_since)
    qs = Conversation.filter(
        members__user_id=viewer.id, members__left_at__isnull=True, deleted_at__isnull=True
    )
    key = time_id_cursor(cursor)
    if key is not None:
        qs = qs.filter(Q(updated_at__lt=key[0]) | Q(updated_at=key[0], id__lt=key[1]))
    rows = await qs.order_by("-updated_at", "-id").limit(limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = encode_cursor([rows[-1].updated_at.isoformat(), rows[-1].id]) if more else None
    return page(await render_conversations(rows, viewer.id), next_cursor)


async def _changed_conversations(
    viewer: Viewer, limit: int, cursor: str | None, since: dt.datetime
) -> dict[str, Any]:
    qs = Conversation.filter(members__user_id=viewer.id, updated_at__gte=since)
    key = time_id_cursor(cursor)
    if key is not None:
        qs = qs.filter(Q(updated_at__gt=key[0]) | Q(updated_at=key[0], id__gt=key[1]))
    rows = await qs.order_by("updated_at", "id").limit(limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    current = set(c for c, _ in await _memberships(viewer.id))
    live = [c for c in rows if c.id in current]
    rendered = {c["id"]: c for c in await render_conversations(live, viewer.id)}
    items = [rendered.get(c.id) or tombstone(c.id) for c in rows]
    next_cursor = encode_cursor([rows[-1].updated_at.isoformat(), rows[-1].id]) if more else None
    return page(items, next_cursor)



async def history(
    viewer: Viewer, conversation_id: int, before_id: int | None, after_id: int | None,
    limit: int, cursor: str | None,
) -> dict[str, Any]:
    """Messages in id order: the latest `limit`, or those just before `before_id`
    or just after `after_id`; `next_cursor` continues in the same direction."""
    await access_conversation(viewer, conversation_id)
    key = decode_cursor(cursor)
    if key is not None:
        if not (isinstance(key, list) and len(key) == 2 and key[0] in ("b", "a") and isinstance(key[1], int)):
            raise invalid_field("cursor", "is not a cursor this server gave out")
        before_id, after_id = (key[1], None) if key[0] == "b" else (None, key[1])
    qs = Message.filter(conversation_id=conversation_id)
    if after_id is not None:
        rows = await qs.filter(id__gt=after_id).order_by("id").limit(limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        next_cursor = encode_cursor(["a", rows[-1].id]) if more else None
    else:
        if before_id is not None:
            qs = qs.filter(id__lt=before_id)
        rows = await qs.order_by("-id").limit(limit + 1)
        more, rows = len(rows) > limit, rows[:limit][::-1]
        next_cursor = encode_cursor(["b", rows[0].id]) if more else None
    return page([render_message(m) for m in rows], next_cursor)
