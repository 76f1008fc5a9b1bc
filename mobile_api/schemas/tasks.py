"""Schemas for tasks, the agenda and reminders."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from mobile_api.pagination import PageQuery, SyncQuery
from mobile_api.validation import OutSchema, QuerySchema, not_null
from server.validation import Day, Moment, OneLine, RecordId, Schema

Kind = Literal["task", "event"]
Status = Literal["pending", "open", "done", "rejected", "cancelled"]


class SubjectIn(Schema):
    type: Literal["customer", "opportunity"]
    id: RecordId


class TaskIn(Schema):
    kind: Kind = "task"
    title: OneLine = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=10_000)
    start_at: Moment | None = Field(None, description="Events: when it starts (required for kind event).")
    due_at: Moment = Field(description="Tasks: when it is due. Events: when it ends.")
    remind_at: Moment | None = Field(None, description="The assignee gets a `reminder` then.")
    assignee_id: RecordId | None = Field(None, description="Default: the caller. Someone else's task starts pending.")
    subject: SubjectIn | None = None
    private: bool = Field(False, description="Colleagues reading the assignee's schedule see it as busy, without its title.")


class TaskPatchIn(Schema):
    kind: Kind | None = None
    title: OneLine | None = Field(None, min_length=1, max_length=200)
    notes: str | None = Field(None, max_length=10_000)
    start_at: Moment | None = None
    due_at: Moment | None = None
    remind_at: Moment | None = Field(None, description="null removes the reminder.")
    assignee_id: RecordId | None = Field(None, description="Creator or their manager only.")
    subject: SubjectIn | None = None
    private: bool | None = None

    _set = field_validator("kind", "title", "due_at", "assignee_id", "private")(not_null)


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class PostponeIn(Schema):
    until: Moment = Field(description="The new due time; start and reminder move by the same amount.")


class SubjectOut(OutSchema):
    type: str | None
    id: int | None


class Task(OutSchema):
    id: int
    kind: Kind
    title: str
    notes: str
    start_at: str | None
    due_at: str
    remind_at: str | None
    assignee_id: int
    created_by: int
    status: Status
    subject: SubjectOut
    private: bool
    reject_reason: str | None
    completed_at: str | None
    created_at: str
    updated_at: str
    version: int


class Tombstone(OutSchema):
    id: int
    deleted: Literal[True]


class TaskList(OutSchema):
    items: list[Task | Tombstone]
    next_cursor: str | None


class TasksQuery(SyncQuery):
    assignee_id: RecordId | None = Field(None, description="Only tasks given to this person.")
    status: Status | None = None
    due_before: Moment | None = Field(None, description="Only tasks due before this time.")
    subject_type: Literal["customer", "opportunity"] | None = Field(
        None, description="Only tasks linked to a record of this type (with subject_id: to that record)."
    )
    subject_id: RecordId | None = Field(None, description="Needs subject_type.")

    @field_validator("subject_id")
    @classmethod
    def _needs_its_type(cls, value: int | None, info: ValidationInfo) -> int | None:
        # An id alone names no record: customer 7 and opportunity 7 are different things.
        if value is not None and info.data.get("subject_type") is None:
            raise ValueError("needs subject_type (customer or opportunity)")
        return value


class LinkOut(OutSchema):
    type: str | None
    id: int | None


class Reminder(OutSchema):
    id: int
    kind: Literal["task", "follow_up", "daily_report"]
    title: str
    due_at: str
    fire_at: str
    link: LinkOut
    status: Literal["scheduled", "fired", "cancelled"]
    fired_at: str | None
    late: bool
    created_at: str


class ReminderList(OutSchema):
    items: list[Reminder]
    next_cursor: str | None


class RemindersQuery(PageQuery):
    upcoming: bool = Field(False, description="true: only those still to fire, soonest first.")


class SnoozeIn(Schema):
    minutes: int = Field(ge=1, le=30 * 24 * 60)


class AgendaQuery(QuerySchema):
    date: Day | None = Field(None, description="A day in the caller's time zone; default today.")
    user_id: RecordId | None = Field(None, description="Default: the caller. Managers: someone in their team.")


class ScheduleQuery(QuerySchema):
    date: Day | None = Field(None, description="A day in the caller's time zone; default today.")


class BusySlot(OutSchema):
    kind: Kind
    start_at: str | None = Field(description="Events: when it starts.")
    due_at: str = Field(description="Tasks: when due. Events: when it ends.")
    status: Status
    private: bool
    title: str | None = Field(description="null when the task is private.")


class Schedule(OutSchema):
    date: str
    timezone: str
    user_id: int
    busy: list[BusySlot]


class Agenda(OutSchema):
    date: str
    timezone: str
    user_id: int
    events: list[Task]
    tasks: list[Task]
    follow_ups: list[Reminder]
    overdue: list[Task]
