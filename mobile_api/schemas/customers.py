"""Schemas for customers, the public pool, duplicates and import."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from mobile_api.pagination import SyncQuery
from mobile_api.validation import OutSchema, QuerySchema
from server.validation import Moment, OneLine, RecordId, Schema

Scope = Literal["mine", "shared", "team", "pool", "all"]
Sort = Literal["name", "-name", "last_contact", "-last_contact", "created", "-created"]

SCOPES_DOC = (
    "mine: owned by the caller · shared: shared with the caller · "
    "team: owned by the caller or by anyone in the departments the caller manages, recursively "
    "(a rep's team is only themselves; an admin's team is every owned customer) · "
    "pool: in the public pool · all (default): everything the caller may see."
)


# A customer's fields, each optional (a patch); `CustomerIn` requires the name.
class CustomerPatchIn(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    phone: OneLine | None = Field(None, max_length=64)
    fax: OneLine | None = Field(None, max_length=64)
    address: str | None = Field(None, max_length=500)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    industry: OneLine | None = Field(None, max_length=100)
    source: OneLine | None = Field(None, max_length=100)
    level: OneLine | None = Field(None, max_length=20)
    province: OneLine | None = Field(None, max_length=50, description="省份; required when the server sets FIELDLINE_REQUIRE_PROVINCE_CITY.")
    city: OneLine | None = Field(None, max_length=50, description="城市; required with province.")
    email: OneLine | None = Field(None, max_length=200)
    website: OneLine | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=10_000)
    tags: list[OneLine] | None = Field(None, max_length=50)


class CustomerIn(CustomerPatchIn):
    # Redefined fields keep their place in the order above.
    name: OneLine = Field(min_length=1, max_length=200)
    tags: list[OneLine] = Field(default_factory=list, max_length=50)
    owner_id: RecordId | None = Field(None, description="Default: the caller. Managers may pick someone in their team.")


class Customer(OutSchema):
    id: int
    name: str
    phone: str | None
    fax: str | None
    address: str | None
    lat: float | None
    lng: float | None
    industry: str | None
    source: str | None
    level: str | None
    tags: list[str]
    province: str | None
    city: str | None
    email: str | None
    website: str | None
    description: str | None
    last_contact_at: str | None = Field(description="The latest follow-up note or check-in about it.")
    owner_id: int | None
    in_pool: bool
    shared_with: list[int]
    created_at: str
    updated_at: str
    version: int
    distance_m: float | None = Field(None, description="Only with ?near=: metres from that point.")


class Tombstone(OutSchema):
    id: int
    deleted: Literal[True]


class CustomerList(OutSchema):
    items: list[Customer | Tombstone]
    next_cursor: str | None


class CustomerFilterQuery(QuerySchema):
    """What narrows a list or an export of customers."""

    q: str | None = Field(None, max_length=100, description=(
        "Case-insensitive substring of the name or a contact's name; digits (4 or more) also match "
        "the customer's and its contacts' phone numbers in any format."))
    tag: str | None = Field(None, max_length=50)
    scope: Scope = Field("all", description=SCOPES_DOC)
    owner_id: RecordId | None = None
    province: OneLine | None = Field(None, max_length=50, description="Exactly this 省份.")
    city: OneLine | None = Field(None, max_length=50, description="Exactly this 城市.")
    industry: OneLine | None = Field(None, max_length=100, description="Exactly this industry.")
    source: OneLine | None = Field(None, max_length=100, description="Exactly this source.")
    level: OneLine | None = Field(None, max_length=20, description="Exactly this level.")
    email: OneLine | None = Field(None, max_length=200, description="Case-insensitive substring of the email.")
    website: OneLine | None = Field(None, max_length=300, description="Case-insensitive substring of the website.")
    description: str | None = Field(None, max_length=100, description="Case-insensitive substring of the description.")
    last_contact_before: Moment | None = Field(None, description="Last contacted before this time, or never.")
    last_contact_after: Moment | None = Field(None, description="Last contacted at or after this time.")


class CustomersQuery(SyncQuery, CustomerFilterQuery):
    near: str | None = Field(None, max_length=64, pattern=r"^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$",
                             description="lat,lng: only customers within radius_m, nearest first.")
    radius_m: float = Field(5000, gt=0, le=200_000)
    sort: Sort | None = Field(None, description=(
        "name, last_contact or created, ascending; a leading - for descending. Default: newest first. "
        "Customers never contacted come last in either direction of last_contact."))


class ExportQuery(CustomerFilterQuery):
    pass


class DuplicatesQuery(QuerySchema):
    name: OneLine | None = Field(None, max_length=200)
    phone: OneLine | None = Field(None, max_length=64)
    fax: OneLine | None = Field(None, max_length=64)


class LookupQuery(QuerySchema):
    q: str = Field(min_length=2, max_length=100, description="Words of the company name, or a phone or fax number (also without its area code).")

    @field_validator("q")
    @classmethod
    def _meaningful(cls, value: str) -> str:
        if len(value.strip()) < 2:
            raise ValueError("must have at least 2 characters besides spaces")
        return value


class LookupOwner(OutSchema):
    id: int
    name: str
    department: str | None


class LookupItem(OutSchema):
    id: int
    name: str
    owner: LookupOwner | None
    in_pool: bool


class LookupList(OutSchema):
    items: list[LookupItem]


class Duplicate(OutSchema):
    id: int
    name: str
    owner_id: int | None
    in_pool: bool
    matched_on: list[Literal["name", "phone", "fax"]]


class DuplicateList(OutSchema):
    duplicates: list[Duplicate]


class ReleaseIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class TransferIn(Schema):
    owner_id: RecordId
    reason: str | None = Field(None, max_length=1000)


class ShareIn(Schema):
    user_ids: list[RecordId] = Field(max_length=200, description="The full list: it replaces the previous one.")


class HistoryEntry(OutSchema):
    id: int
    customer_id: int
    action: Literal["created", "released", "claimed", "transferred", "shared", "deleted"]
    actor_id: int | None
    from_owner_id: int | None
    to_owner_id: int | None
    reason: str | None
    details: dict[str, Any]
    created_at: str


class HistoryList(OutSchema):
    items: list[HistoryEntry]
    next_cursor: str | None


class ImportDuplicate(OutSchema):
    row: int
    name: str
    matched: Literal["file", "existing"]
    matched_row: int | None = None
    duplicates: list[Duplicate] = []


class ImportRowError(OutSchema):
    row: int
    field: str | None = Field(None, description="The customer field the error is about (null when it is about the whole row).")
    message: str


class ImportResult(OutSchema):
    created: int
    dry_run: bool
    duplicates: list[ImportDuplicate]
    errors: list[ImportRowError]
