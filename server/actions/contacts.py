"""Creating and changing contacts (people at a customer, or on their own)."""

from __future__ import annotations

from typing import Any

from server import dedupe
from server.access import Viewer
from server.actions.versioning import check_version, soft_delete
from server.errors import forbidden, invalid_field
from server.models.customers import Contact
from server.queries.contacts import access_contact, manages_contact
from server.queries.customers import access_customer
from server.transaction import atomic

FIELDS = ("name", "title", "mobile", "phone", "email", "wechat", "address", "website")
SOURCES = ("manual", "card", "import")


def _store_keys(contact: Contact) -> None:
    contact.mobile_key = dedupe.normalize_phone(contact.mobile)
    contact.phone_key = dedupe.normalize_phone(contact.phone)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in FIELDS if k in data}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise invalid_field("name", "must not be empty")
    return values


async def create_contact(viewer: Viewer, data: dict[str, Any]) -> Contact:
    """Add a contact owned by the caller, at a customer they can see (404 otherwise).

    `source` is manual (default), card (with the `card_id` it came from) or import.
    """
    values = _clean(data)
    if "name" not in values:
        raise invalid_field("name", "is required")
    source = data.get("source") or "manual"
    if source not in SOURCES:
        raise invalid_field("source", "must be manual, card or import")
    customer_id = data.get("customer_id")
    if customer_id is not None:
        await access_customer(viewer, customer_id)
    async with atomic():
        contact = Contact(
            **values, customer_id=customer_id, owner_id=viewer.id, source=source, card_id=data.get("card_id")
        )
        _store_keys(contact)
        await contact.save()
    return contact


async def update_contact(
    viewer: Viewer, contact_id: int, data: dict[str, Any], expected_version: int | None = None
) -> Contact:
    contact = await access_contact(viewer, contact_id)
    if not await manages_contact(viewer, contact):
        raise forbidden("Only whoever added this contact, or who manages its customer, may change it.")
    values = _clean(data)
    if "customer_id" in data and data["customer_id"] is not None:
        await access_customer(viewer, data["customer_id"])
        values["customer_id"] = data["customer_id"]
    async with atomic():
        contact = await Contact.select_for_update().get(id=contact_id)
        check_version(contact, expected_version)
        for name, value in values.items():
            setattr(contact, name, value)
        _store_keys(contact)
        contact.version += 1
        await contact.save()
    return contact


async def delete_contact(viewer: Viewer, contact_id: int, expected_version: int | None = None) -> None:
    contact = await access_contact(viewer, contact_id)
    if not await manages_contact(viewer, contact):
        raise forbidden("Only whoever added this contact, or who manages its customer, may delete it.")
    async with atomic():
        contact = await Contact.select_for_update().get(id=contact_id)
        await soft_delete(contact, expected_version)
