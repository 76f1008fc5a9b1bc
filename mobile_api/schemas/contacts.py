"""Schemas for contacts and opportunities."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mobile_api.pagination import SyncQuery
from mobile_api.schemas.customers import Tombstone
from mobile_api.validation import OutSchema
from server.validation import Day, OneLine, RecordId, Schema

Source = Literal["manual", "card", "import"]
Stage = Literal["lead", "qualified", "proposal", "negotiation"]
Status = Literal["open", "won", "lost"]


class ContactFields(Schema):
    title: OneLine | None = Field(None, max_length=100)
    mobile: OneLine | None = Field(None, max_length=64)
    phone: OneLine | None = Field(None, max_length=64)
    email: OneLine | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    wechat: OneLine | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=500)
    website: OneLine | None = Field(None, max_length=300)


class ContactIn(ContactFields):
    name: OneLine = Field(min_length=1, max_length=100)
    customer_id: RecordId | None = None
    source: Source = "manual"
    card_id: RecordId | None = None


class ContactPatchIn(ContactFields):
    name: OneLine | None = Field(None, min_length=1, max_length=100)
    customer_id: RecordId | None = None


class Contact(OutSchema):
    id: int
    customer_id: int | None
    name: str
    title: str | None
    mobile: str | None
    phone: str | None
    email: str | None
    wechat: str | None
    address: str | None
    website: str | None
    source: Source
    card_id: int | None
    owner_id: int | None
    created_at: str
    updated_at: str
    version: int


class ContactList(OutSchema):
    items: list[Contact | Tombstone]
    next_cursor: str | None


class ContactsQuery(SyncQuery):
    customer_id: RecordId | None = None
    q: str | None = Field(None, max_length=100, description="Substring of the name, or 4+ digits of a number.")


class OpportunityFields(Schema):
    amount: float | None = Field(None, ge=0, le=1e13)
    currency: OneLine | None = Field(None, pattern=r"^[A-Za-z]{3}$")
    stage: Stage | None = None
    status: Status | None = None
    loss_reason: str | None = Field(None, max_length=1000, description="Required when status is lost.")
    expected_close: Day | None = None


class OpportunityIn(OpportunityFields):
    customer_id: RecordId
    name: OneLine = Field(min_length=1, max_length=200)
    owner_id: RecordId | None = None


class OpportunityPatchIn(OpportunityFields):
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    customer_id: RecordId | None = None


class Opportunity(OutSchema):
    id: int
    customer_id: int
    name: str
    amount: float | None
    currency: str
    stage: Stage
    status: Status
    loss_reason: str | None
    expected_close: str | None
    closed_at: str | None
    owner_id: int | None
    created_at: str
    updated_at: str
    version: int


class OpportunityList(OutSchema):
    items: list[Opportunity | Tombstone]
    next_cursor: str | None


class OpportunitiesQuery(SyncQuery):
    customer_id: RecordId | None = None
    owner_id: RecordId | None = None
    stage: Stage | None = None
    status: Status | None = None
