"""Reading conversations and messages; who may see them (members only, else 404)."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.functions import Count

from server.models.chat import ConversationMember, Message


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
