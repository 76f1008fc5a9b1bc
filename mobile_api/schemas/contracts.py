"""Schemas for contracts, payment plans, payments and expense claims."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mobile_api.pagination import PageQuery, SyncQuery
from mobile_api.schemas.customers import Tombstone
from mobile_api.validation import OutSchema, QuerySchema
from server.validation import Day, Moment, OneLine, RecordId, Schema

Money = Field(gt=0, le=1e13)
Currency = Field(None, pattern=r"^[A-Za-z]{3}$")
ContractStatus = Literal["draft", "reviewing", "active", "completed", "terminated"]
Category = Literal["travel", "lodging", "meals", "transport", "entertainment", "gifts", "office", "communication",
                   "other"]


class ContractFields(Schema):
    number: str | None = Field(None, min_length=1, max_length=64, description="Default: HT<date><id>.")
    opportunity_id: RecordId | None = None
    currency: OneLine | None = Currency
    signed_on: Day | None = None
    start_on: Day | None = None
    end_on: Day | None = None
    file_ids: list[RecordId] | None = Field(None, max_length=50, description="Scans and documents from POST /api/v1/photos or POST /api/v1/files.")
    notes: str | None = Field(None, max_length=5000)


class ContractIn(ContractFields):
    customer_id: RecordId
    name: OneLine = Field(min_length=1, max_length=200)
    amount: float = Money
    owner_id: RecordId | None = None


class ContractPatchIn(ContractFields):
    customer_id: RecordId | None = None
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    amount: float | None = Field(None, gt=0, le=1e13)
    status: Literal["active", "completed", "terminated"] | None = Field(None, description=(
        "Only ends an approved contract (completed, terminated) or reopens a completed one; drafts become "
        "active through approval."))


class Contract(OutSchema):
    id: int
    customer_id: int
    opportunity_id: int | None
    number: str
    name: str
    amount: float
    currency: str
    signed_on: str | None
    start_on: str | None
    end_on: str | None
    status: ContractStatus
    collected: float
    outstanding: float
    file_ids: list[int]
    notes: str | None
    owner_id: int
    review_request_id: int | None = Field(description="The pending approval request that locks it, if any.")
    activated_at: str | None
    created_at: str
    updated_at: str
    version: int


class ContractList(OutSchema):
    items: list[Contract | Tombstone]
    next_cursor: str | None


class ContractsQuery(SyncQuery):
    customer_id: RecordId | None = None
    opportunity_id: RecordId | None = None
    owner_id: RecordId | None = None
    status: ContractStatus | None = None


class SubmitIn(Schema):
    template_id: RecordId | None = None
    cc_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    comment: str | None = Field(None, max_length=2000)


class PlanIn(Schema):
    due_on: Day
    amount: float = Money
    note: str | None = Field(None, max_length=500)


class PlanPatchIn(Schema):
    due_on: Day | None = None
    amount: float | None = Field(None, gt=0, le=1e13)
    note: str | None = Field(None, max_length=500)


class Plan(OutSchema):
    id: int
    contract_id: int
    due_on: str
    amount: float
    collected: float
    settled: bool
    note: str | None
    reminded_at: str | None
    created_at: str
    updated_at: str
    version: int


class PlanList(OutSchema):
    items: list[Plan]
    next_cursor: str | None


class PaymentIn(Schema):
    paid_on: Day
    amount: float = Money
    plan_id: RecordId | None = None
    method: str | None = Field(None, max_length=32, description="bank transfer, cash, cheque...")
    note: str | None = Field(None, max_length=500)


class Payment(OutSchema):
    id: int
    contract_id: int
    plan_id: int | None
    paid_on: str
    amount: float
    method: str | None
    note: str | None
    recorded_by: int
    created_at: str


class PaymentList(OutSchema):
    items: list[Payment]
    next_cursor: str | None


class LineIn(Schema):
    spent_on: Day
    category: Category
    amount: float = Money
    note: str | None = Field(None, max_length=500)
    receipt_ids: list[RecordId] = Field(default_factory=list, max_length=20,
                                        description="Receipt photos (or PDFs) from POST /api/v1/photos or POST /api/v1/files.")
    checkin_id: RecordId | None = None
    customer_id: RecordId | None = None


class ClaimIn(Schema):
    title: OneLine = Field(min_length=1, max_length=200)
    currency: OneLine | None = Currency
    lines: list[LineIn] = Field(default_factory=list, max_length=100)


class ClaimPatchIn(Schema):
    title: OneLine | None = Field(None, min_length=1, max_length=200)
    currency: OneLine | None = Currency
    lines: list[LineIn] | None = Field(None, max_length=100, description="Replaces every line.")


class Line(OutSchema):
    id: int
    spent_on: str
    category: Category
    amount: float
    note: str | None
    receipt_ids: list[int]
    checkin_id: int | None
    customer_id: int | None


class Claim(OutSchema):
    id: int
    title: str
    currency: str
    total: float
    status: Literal["draft", "reviewing", "approved"]
    owner_id: int
    lines: list[Line]
    review_request_id: int | None
    approved_at: str | None
    created_at: str
    updated_at: str
    version: int


class ClaimList(OutSchema):
    items: list[Claim | Tombstone]
    next_cursor: str | None


class ClaimsQuery(SyncQuery):
    owner_id: RecordId | None = None
    status: Literal["draft", "reviewing", "approved"] | None = None


class ExportQuery(QuerySchema):
    approved_from: Moment | None = Field(None, description="Approved at or after this moment.")
    approved_to: Moment | None = Field(None, description="Approved before this moment.")


class ListQuery(PageQuery):
    pass
