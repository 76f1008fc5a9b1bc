"""Schemas for the work feed, comments, likes and follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from mobile_api.pagination import PageQuery
from mobile_api.validation import OutSchema, out_schema_of
from server.events import CommentPayload
from server.validation import OneLine, RecordId, Schema

# The rule for texts people write with @-mentions in them (posts, comments, chat).
MENTIONS = ("`@login`, `@\"Full Name\"` or `@名字` mentions a colleague. A name two active colleagues "
            "share mentions neither: the write is refused with 422, `details.fields.body` saying why and "
            "`details.ambiguous` listing the names; mention them by login instead.")
Body = Field(min_length=1, max_length=10_000, description=MENTIONS)


class SubjectIn(Schema):
    type: Literal["customer", "opportunity", "lead"] | None
    id: RecordId | None = None

    @model_validator(mode="after")
    def _id_with_type(self) -> SubjectIn:
        if self.type is not None and self.id is None:
            raise ValueError("a subject with a type needs its id")
        return self


def no_nul(value: str | None) -> str | None:
    """Text the databases can store: PostgreSQL refuses NUL characters."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class AttachmentIn(Schema):
    """A photo or file uploaded before (by id), or a link."""

    type: Literal["photo", "file", "link"]
    id: RecordId | None = None
    url: str | None = Field(None, max_length=2000)
    name: OneLine | None = Field(None, max_length=200)

    _text = field_validator("url", "name")(no_nul)


class PostIn(Schema):
    body: str = Body
    visibility: Literal["public", "department", "private"] = "public"
    subject: SubjectIn | None = None
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)

    _text = field_validator("body")(no_nul)


class Subject(OutSchema):
    type: Literal["customer", "opportunity", "lead"] | None
    id: int | None


class FeedItem(OutSchema):
    id: int
    kind: Literal["post", "checkin", "activity", "opportunity", "daily_report", "announcement", "lead"]
    author_id: int
    body: str
    mentions: list[int]
    visibility: Literal["public", "department", "private"]
    subject: Subject
    attachments: list[Any]
    like_count: int
    comment_count: int
    liked_by_me: bool
    created_at: str


class FeedPage(OutSchema):
    items: list[FeedItem]
    next_cursor: str | None


class FeedQuery(PageQuery):
    scope: Literal["following", "public", "mine", "team"] = "following"
    subject_type: Literal["customer", "opportunity", "lead"] | None = None
    subject_id: RecordId | None = None


class CommentIn(Schema):
    body: str = Body

    _text = field_validator("body")(no_nul)


if TYPE_CHECKING:  # built from the payload at run time; to a checker, an OutSchema
    Comment = OutSchema
else:
    Comment = out_schema_of("Comment", CommentPayload)


class CommentPage(OutSchema):
    items: list[Comment]
    next_cursor: str | None


class FollowIn(Schema):
    target_type: Literal["user", "customer", "opportunity", "lead"]
    target_id: RecordId


class Follow(OutSchema):
    target_type: Literal["user", "customer", "opportunity", "lead"]
    target_id: int
    automatic: bool
    created_at: str | None


class FollowList(OutSchema):
    items: list[Follow]
    next_cursor: str | None
