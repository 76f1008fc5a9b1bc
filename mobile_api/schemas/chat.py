"""Schemas for conversations and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from mobile_api.pagination import PageQuery, SyncQuery
from mobile_api.schemas.feed import MENTIONS
from mobile_api.validation import OutSchema, out_schema_of
from server.actions.chat import MAX_ATTACHMENTS, MAX_GROUP_MEMBERS, MessageBody
from server.events import MessagePayload
from server.validation import OneLine, RecordId, Schema, SeenId

UserIds = Field(min_length=1, max_length=MAX_GROUP_MEMBERS)


class ConversationIn(Schema):
    """`direct` needs `member_ids: [other]`; `group` needs `title`; `department` needs `department_id`."""

    kind: Literal["direct", "group", "department"]
    member_ids: list[RecordId] = Field(default_factory=list, max_length=MAX_GROUP_MEMBERS)
    title: OneLine | None = Field(None, max_length=100)
    department_id: RecordId | None = None

    @model_validator(mode="after")
    def _needs(self) -> ConversationIn:
        if self.kind == "direct" and len(self.member_ids) != 1:
            raise ValueError("a direct conversation names exactly one other person in member_ids")
        if self.kind == "group" and not (self.title or "").strip():
            raise ValueError("a group needs a title")
        if self.kind == "department" and self.department_id is None:
            raise ValueError("a department conversation needs department_id")
        return self


class MembersIn(Schema):
    user_ids: list[RecordId] = UserIds


class MessageIn(Schema):
    client_id: OneLine = Field(min_length=1, max_length=128)
    body: MessageBody = Field(description=MENTIONS)
    attachments: list[RecordId] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)


class MessagePatchIn(Schema):
    body: MessageBody = Field(description=MENTIONS)


class ReadIn(Schema):
    up_to_message_id: SeenId


class ConversationsQuery(SyncQuery):
    pass


class HistoryQuery(PageQuery):
    before_id: RecordId | None = None
    after_id: SeenId | None = None


if TYPE_CHECKING:  # built from the payload at run time; to a checker, an OutSchema
    Message = OutSchema
else:
    Message = out_schema_of("Message", MessagePayload)


class Conversation(OutSchema):
    id: int
    kind: str
    title: str | None
    member_ids: list[int]
    owner_id: int | None
    department_id: int | None
    last_message: Message | None
    unread_count: int
    updated_at: str


class ConversationList(OutSchema):
    items: list[dict[str, Any]]
    next_cursor: str | None


class MessageList(OutSchema):
    items: list[Message]
    next_cursor: str | None


class ReadOut(OutSchema):
    conversation_id: int
    user_id: int
    up_to_message_id: int


