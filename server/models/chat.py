"""Team chat: conversations, their members and messages."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.identity import Department, User


class Conversation(Model):
    """A direct pair, a group with an owner, or a department's group.

    `direct_key` ("small_id:large_id") makes a direct conversation unique per
    pair. `last_message_id` orders the list and renders `last_message`.
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=12)  # direct, group, department
    title = fields.CharField(max_length=100, null=True)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="owned_conversations", null=True, on_delete=fields.SET_NULL
    )
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="conversations", null=True, on_delete=fields.SET_NULL
    )
    direct_key = fields.CharField(max_length=32, null=True, unique=True)
    last_message_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)
    deleted_at = fields.DatetimeField(null=True)
    members: fields.ReverseRelation[ConversationMember]
    messages: fields.ReverseRelation[Message]
    owner_id: int | None
    department_id: int | None

    class Meta:
        table = "conversations"


class ConversationMember(Model):
    """One person's place in a conversation. `left_at` set: no longer a member."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="members", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="conversation_memberships", on_delete=fields.CASCADE
    )
    last_read_message_id = fields.IntField(default=0)
    joined_at = fields.DatetimeField(auto_now_add=True)
    left_at = fields.DatetimeField(null=True)
    conversation_id: int
    user_id: int

    class Meta:
        table = "conversation_members"
        unique_together = (("conversation_id", "user_id"),)
        indexes = (("user_id", "left_at"),)


class Message(Model):
    """A chat message. `client_id` is unique per sender: a resend returns the first."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=fields.CASCADE
    )
    sender: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages", on_delete=fields.CASCADE
    )
    client_id = fields.CharField(max_length=128)
    body = fields.TextField()
    mentions: fields.JSONField[list[int]] = fields.JSONField(default=list)
    attachments: fields.JSONField[list[int]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    edited_at = fields.DatetimeField(null=True)
    deleted = fields.BooleanField(default=False)
    conversation_id: int
    sender_id: int

    class Meta:
        table = "messages"
        unique_together = (("sender_id", "client_id"),)
        indexes = (("conversation_id", "id"),)


class Presence(Model):
    """When a user's last live socket closed (survives restarts, shared by processes)."""

    user_id = fields.IntField(primary_key=True)
    last_disconnect_at = fields.DatetimeField()

    class Meta:
        table = "presence"
