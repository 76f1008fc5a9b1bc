"""Schemas for the inbox, announcements and notification preferences."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mobile_api.pagination import PageQuery
from mobile_api.schemas.feed import no_nul
from mobile_api.validation import OutSchema
from server.validation import OneLine, RecordId, Schema

Kind = Literal["mention", "comment", "reminder", "task", "announcement", "system", "approval"]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Link(OutSchema):
    type: str | None
    id: int | None


class Notification(OutSchema):
    id: int
    kind: Kind
    title: str
    body: str
    link: Link
    read: bool
    created_at: str


class NotificationPage(OutSchema):
    items: list[Notification]
    next_cursor: str | None


class NotificationsQuery(PageQuery):
    kind: Kind | None = None
    unread: bool | None = None


class ReadIn(Schema):
    ids: list[RecordId] | None = Field(None, max_length=1000)
    all: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> ReadIn:
        if not self.all and self.ids is None:
            raise ValueError('send {"ids": [...]} or {"all": true}')
        return self


class ReadOut(OutSchema):
    updated: int


class UnreadCounts(OutSchema):
    mention: int
    comment: int
    reminder: int
    task: int
    announcement: int
    system: int
    approval: int
    chat: int


class AnnouncementIn(Schema):
    title: OneLine = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    department_id: RecordId | None = None

    _text = field_validator("title", "body")(no_nul)


class Announcement(OutSchema):
    id: int
    title: str
    body: str
    department_ids: list[int]
    recipient_count: int
    item: dict[str, Any]
    created_at: str


class QuietHours(Schema):
    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not CLOCK.match(value):
            raise ValueError("must be a time of day HH:MM")
        return value


class EmailKinds(Schema):
    mention: bool | None = None
    reminder: bool | None = None
    task: bool | None = None


class PushKinds(Schema):
    mention: bool | None = None
    reminder: bool | None = None
    task: bool | None = None
    approval: bool | None = None
    announcement: bool | None = None
    chat: bool | None = None


class PreferencesIn(Schema):
    email: EmailKinds | None = None
    push: PushKinds | None = None
    quiet_hours: QuietHours | None = None
    reminders_in_quiet_hours: bool | None = None

    def changes(self) -> dict[str, Any]:
        """What to change: `"email": null` changes no kind, a kind left out or null stays."""
        changes = self.model_dump(exclude_unset=True)
        for channel in ("email", "push"):
            if changes.get(channel) is None:
                changes.pop(channel, None)
            else:
                changes[channel] = {k: v for k, v in changes[channel].items() if v is not None}
        if changes.get("reminders_in_quiet_hours", False) is None:
            changes.pop("reminders_in_quiet_hours")
        return changes


class Preferences(OutSchema):
    email: dict[str, bool]
    push: dict[str, bool]
    reminders_in_quiet_hours: bool
    quiet_hours: dict[str, str] | None
    timezone: str
