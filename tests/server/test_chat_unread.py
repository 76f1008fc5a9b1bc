"""`total_unread` counts other people's messages after each read cursor."""

from __future__ import annotations

from server.clock import utcnow
from server.models.chat import Conversation, ConversationMember, Message
from server.queries.chat import total_unread


async def _conversation(*user_ids: int, read: dict[int, int] | None = None) -> Conversation:
    conversation = await Conversation.create(kind="group", title="Team")
    for user_id in user_ids:
        await ConversationMember.create(
            conversation=conversation, user_id=user_id, last_read_message_id=(read or {}).get(user_id, 0)
        )
    return conversation


async def _say(conversation: Conversation, sender_id: int, n: int) -> list[Message]:
    return [
        await Message.create(conversation=conversation, sender_id=sender_id, client_id=f"{conversation.id}-{sender_id}-{i}-{utcnow().timestamp()}", body="hi")
        for i in range(n)
    ]


async def test_total_unread_sums_over_conversations_and_skips_own_and_read(org):
    a, b, c = org.rep_east1.id, org.rep_east2.id, org.rep_sh.id
    first = await _conversation(a, b)
    second = await _conversation(a, c)
    said = await _say(first, b, 3)
    await _say(first, a, 2)  # one's own messages are never unread
    await _say(second, c, 4)
    await ConversationMember.filter(conversation=first, user_id=a).update(last_read_message_id=said[0].id)
    assert await total_unread(a) == 2 + 4
    assert await total_unread(b) == 2
    assert await total_unread(org.rep_west.id) == 0


async def test_total_unread_ignores_left_deleted_and_removed_messages(org):
    a, b = org.rep_east1.id, org.rep_east2.id
    left = await _conversation(a, b)
    gone = await _conversation(a, b)
    kept = await _conversation(a, b)
    await _say(left, b, 2)
    await _say(gone, b, 2)
    messages = await _say(kept, b, 3)
    await ConversationMember.filter(conversation=left, user_id=a).update(left_at=utcnow())
    await Conversation.filter(id=gone.id).update(deleted_at=utcnow())
    await Message.filter(id=messages[0].id).update(deleted=True)
    assert await total_unread(a) == 2
