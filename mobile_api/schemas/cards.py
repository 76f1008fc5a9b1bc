"""Schemas for scanned business cards."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from mobile_api.schemas.contacts import Contact
from mobile_api.schemas.customers import Customer
from mobile_api.validation import OutSchema
from server.validation import OneLine, RecordId, Schema

Text = Field(None, max_length=500)
Phone = Annotated[OneLine, Field(max_length=64)]


class CardFields(OutSchema):
    """What was read from the card; null (or []) for what was not found."""

    name: str | None
    title: str | None
    company: str | None
    mobile: str | None
    phones: list[str]
    fax: str | None
    email: str | None
    website: str | None
    address: str | None


class CardDuplicate(OutSchema):
    """An existing customer or contact the card may be: id, name, owner and pool
    state only, whether or not the caller may see it. `matched_on` lists the
    record's fields that match (customer: name, phone, fax; contact: mobile,
    phone); a contact also names its customer_id."""

    type: Literal["customer", "contact"]
    id: int
    name: str
    owner_id: int | None
    in_pool: bool
    matched_on: list[str]
    customer_id: int | None = None


class Card(OutSchema):
    """A scanned card. `status` is pending until read, then done or failed (with
    `error`, the reason). The `card.parsed` event carries this same shape."""

    id: int
    owner_id: int
    status: Literal["pending", "done", "failed"]
    fields: CardFields
    confidence: dict[str, float] = Field(description="0..1 per field that was read")
    raw_text: str
    error: str | None
    duplicates: list[CardDuplicate]
    contact_id: int | None
    customer_id: int | None
    created_at: str
    updated_at: str


class CardAccepted(OutSchema):
    id: int
    status: Literal["pending"]


class CardUpload(Schema):
    """multipart/form-data with one file part `image`: JPEG, PNG or WebP (judged
    by content), at most 10 MB and 40 megapixels."""

    image: bytes = Field(json_schema_extra={"format": "binary"})


class FieldCorrections(Schema):
    """Only the fields to change; a field sent as null clears what was read."""

    name: OneLine | None = Field(None, max_length=100)
    title: OneLine | None = Field(None, max_length=100)
    company: OneLine | None = Field(None, max_length=200)
    mobile: OneLine | None = Field(None, max_length=64)
    phones: list[Phone] | None = Field(None, max_length=10)
    fax: OneLine | None = Field(None, max_length=64)
    email: OneLine | None = Field(None, max_length=254)
    website: OneLine | None = Field(None, max_length=300)
    address: str | None = Text


class ConfirmCardIn(Schema):
    """Confirm a read (or failed) card: `fields` corrects what was read; with
    `customer_id` the contact joins that customer, otherwise the one visible
    customer that matches, or a new customer named by `fields.company`."""

    fields: FieldCorrections = Field(default_factory=FieldCorrections)
    customer_id: RecordId | None = None


class ConfirmedCard(OutSchema):
    contact: Contact
    customer: Customer
