"""Schemas for approval templates and requests (审批)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from mobile_api.pagination import PageQuery, SyncQuery
from mobile_api.schemas.customers import Tombstone
from mobile_api.validation import OutSchema
from server.validation import OneLine, RecordId, Schema

Kind = Literal["contract", "discount", "expense", "leave", "custom"]
StepType = Literal["direct_manager", "manager_above", "user", "role"]
RequestStatus = Literal["pending", "approved", "rejected", "returned", "withdrawn"]
StepStatus = Literal["waiting", "pending", "approved", "rejected", "returned", "cancelled"]
Currency = Field(None, pattern=r"^[A-Za-z]{3}$")


class StepIn(Schema):
    type: StepType = Field(description=(
        "direct_manager: the managers of the nearest department above the submitter · manager_above: the next "
        "managers above those · user: `user_id` · role: anyone with `role`. Nobody found → the administrators."))
    user_id: RecordId | None = None
    role: Literal["manager", "admin"] | None = None
    min_amount: float | None = Field(None, ge=0, le=1e13, description="The step applies only from this amount on.")
    name: OneLine | None = Field(None, max_length=100)


class TemplateIn(Schema):
    kind: Kind
    name: OneLine = Field(min_length=1, max_length=200)
    steps: list[StepIn] = Field(min_length=1, max_length=20)
    allow_forward: bool = False


class TemplatePatchIn(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    steps: list[StepIn] | None = Field(None, min_length=1, max_length=20)
    allow_forward: bool | None = None


class Template(OutSchema):
    id: int
    kind: Kind
    name: str
    steps: list[dict[str, Any]]
    allow_forward: bool
    created_at: str
    updated_at: str
    version: int = Field(description="Raised by every change; requests keep the version they were submitted under.")


class TemplateList(OutSchema):
    items: list[Template | Tombstone]
    next_cursor: str | None


class TemplatesQuery(SyncQuery):
    kind: Kind | None = None


class Subject(Schema):
    type: Literal["contract", "expense", "opportunity"]
    id: RecordId


class RequestIn(Schema):
    kind: Kind
    template_id: RecordId | None = Field(None, description="Default: the newest template of the kind.")
    title: OneLine | None = Field(None, max_length=200, description="Required unless `subject` gives one.")
    amount: float | None = Field(None, ge=0, le=1e13, description="Ignored for contracts and expenses (theirs counts).")
    currency: OneLine | None = Currency
    subject: Subject | None = Field(None, description=(
        "The record the request is about: contract (kind contract), expense (kind expense), opportunity "
        "(kind discount or custom). It is locked while the request is pending."))
    data: dict[str, Any] | None = Field(None, description="Free fields of the form (leave dates, discount rate...).")
    cc_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    comment: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _data_is_small(self) -> RequestIn:
        if self.data is not None and len(self.data) > 50:
            raise ValueError("data holds at most 50 fields")
        return self


class Step(OutSchema):
    number: int
    kind: StepType
    approver_ids: list[int]
    status: StepStatus
    started_at: str | None
    decided_at: str | None
    decided_by: int | None
    comment: str | None


class SubjectOut(OutSchema):
    type: str
    id: int


class Request(OutSchema):
    id: int
    kind: Kind
    template_id: int
    template_version: int
    title: str
    amount: float | None
    currency: str
    subject: SubjectOut | None
    data: dict[str, Any]
    submitter_id: int
    status: RequestStatus
    current_step: int | None
    steps: list[Step]
    cc_ids: list[int]
    reason: str | None
    allow_forward: bool
    created_at: str
    updated_at: str
    decided_at: str | None
    version: int


class RequestList(OutSchema):
    items: list[Request]
    next_cursor: str | None


class RequestsQuery(SyncQuery):
    box: Literal["all", "mine", "cc", "decided"] = Field("all", description=(
        "mine: submitted by the caller · cc: copied to them · decided: steps they decided · all: every request "
        "they may see (their own, their team's, those they were asked to decide or are copied on)."))
    kind: Kind | None = None
    status: RequestStatus | None = None


class DecisionIn(Schema):
    comment: str | None = Field(None, max_length=2000)
    step: int | None = Field(None, ge=0, le=100, description="The step the approver saw; another → 409 already_decided.")


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)
    step: int | None = Field(None, ge=0, le=100)


class ForwardIn(Schema):
    user_id: RecordId
    comment: str | None = Field(None, max_length=2000)
    step: int | None = Field(None, ge=0, le=100)


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=2000)


class Entry(OutSchema):
    id: int
    request_id: int
    action: Literal["submitted", "approved", "rejected", "returned", "withdrawn", "commented", "forwarded"]
    actor_id: int
    step_number: int | None
    body: str | None
    target_id: int | None
    created_at: str


class EntryList(OutSchema):
    items: list[Entry]
    next_cursor: str | None


class Counts(OutSchema):
    waiting: int = Field(description="Requests waiting for the caller's decision (the inbox).")
    submitted_pending: int = Field(description="The caller's own requests still under review.")


class InboxQuery(PageQuery):
    pass
