"""Conversations and messages as the API shows them (REST answers and events)."""

from __future__ import annotations

from server.events import ConversationPayload, MessagePayload, ReadPayload
from server.models.chat import Conversation, Message
from server.render import iso


def render_message(message: Message) -> MessagePayload:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "client_id": message.client_id,
        "body": "" if message.deleted else message.body,
        "mentions": [] if message.deleted else list(message.mentions or []),
        "attachments": [] if message.deleted else list(message.attachments or []),
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "deleted": message.deleted,
    }


def render_conversation(
    conversation: Conversation,
    member_ids: list[int],
    last_message: Message | None,
    unread_count: int,
) -> ConversationPayload:
    return {
        "id": conversation.id,
        "kind": conversation.kind,
        "title": conversation.title,
        "member_ids": sorted(member_ids),
        "owner_id": conversation.owner_id,
        "department_id": conversation.department_id,
        "last_message": render_message(last_message) if last_message else None,
        "unread_count": unread_count,
        "updated_at": iso(conversation.updated_at),
    }


def read_marker(conversation_id: int, user_id: int, up_to_message_id: int) -> ReadPayload:
    """The data of `read.updated`."""
    return {"conversation_id": conversation_id, "user_id": user_id, "up_to_message_id": up_to_message_id}
