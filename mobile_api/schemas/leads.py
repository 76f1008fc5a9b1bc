"""Schemas for leads (线索), lead sources and the sign-up intake."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from mobile_api.pagination import SyncQuery
from mobile_api.schemas.contacts import OpportunityFields
from mobile_api.schemas.customers import CustomerPatchIn, Tombstone
from mobile_api.validation import OutSchema, not_null, out_schema_of
from server.events import LeadPayload, LeadStatus
from server.validation import OneLine, RecordId, Schema

Status = LeadStatus


class LeadIn(Schema):
    company: OneLine = Field(min_length=1, max_length=200)
    contact_name: OneLine | None = Field(None, max_length=100)
    phone: OneLine | None = Field(None, max_length=64)
    email: OneLine | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=10_000)


class NewLeadIn(LeadIn):
    owner_id: RecordId | None = Field(None, description="Default: the caller. Managers may pick someone in their team.")


class LeadPatchIn(Schema):
    company: OneLine | None = Field(None, min_length=1, max_length=200)
    contact_name: OneLine | None = Field(None, max_length=100)
    phone: OneLine | None = Field(None, max_length=64)
    email: OneLine | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=10_000)
    status: Literal["new", "following", "dropped"] | None = Field(
        None, description="Leaving new is the follow-up; converted comes only from /convert.")
    owner_id: RecordId | None = Field(None, description="Give the lead to someone in the caller's team.")

    _set = field_validator("company", "status", "owner_id")(not_null)


class ConvertOpportunityIn(OpportunityFields):
    name: OneLine = Field(min_length=1, max_length=200)


class ConvertIn(Schema):
    customer: CustomerPatchIn | None = Field(None, description="Customer fields overriding the lead's (name, phone, province…).")
    opportunity: ConvertOpportunityIn | None = Field(None, description="Also open an opportunity: {name, amount?, …}.")


class LeadSourceIn(Schema):
    name: OneLine = Field(min_length=1, max_length=100)
    owner_id: RecordId = Field(description="Who owns (and must follow up) the leads it brings.")


if TYPE_CHECKING:  # built from the payload at run time; to a checker, an OutSchema
    Lead = OutSchema
else:
    Lead = out_schema_of("Lead", LeadPayload)


class LeadList(OutSchema):
    items: list[Lead | Tombstone]
    next_cursor: str | None


class LeadsQuery(SyncQuery):
    status: Status | None = None
    owner_id: RecordId | None = None


class Converted(OutSchema):
    lead: Lead
    customer: dict[str, Any]
    contact: dict[str, Any] | None
    opportunity: dict[str, Any] | None


class LeadSource(OutSchema):
    id: int
    name: str
    owner_id: int
    active: bool
    created_at: str
    key: str | None = Field(None, description="The API key, shown once, when the source is created.")


class LeadHistoryEntry(OutSchema):
    id: int
    lead_id: int
    action: Literal["created", "updated", "status", "assigned", "converted", "deleted"]
    actor_id: int | None
    from_owner_id: int | None
    to_owner_id: int | None
    details: dict[str, Any]
    created_at: str


class LeadHistoryList(OutSchema):
    items: list[LeadHistoryEntry]
    next_cursor: str | None
