"""Reading scanned cards: who sees one, and which customers or contacts it may duplicate.

A card is private to whoever scanned it (administrators see every card).
Its duplicates are found the way 撞单 finds them for a new customer
(docs/duplicates.md): the company name and the card's landline and fax
numbers against every customer, whoever owns it; and the card's mobile and
landline numbers against every contact's mobile and phone. Each match
reveals only id, name, owner and pool state (docs/cards.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q

from server import dedupe
from server.access import Viewer
from server.errors import not_found
from server.events import CardPayload
from server.models.cards import Card, CardStatus
from server.models.customers import Contact
from server.queries.customers import find_duplicates
from server.queries.orm import column
from server.render.cards import card_fields, render_card
from server.settings import get_settings

MAX_CONTACT_DUPLICATES = 20


async def access_card(viewer: Viewer, card_id: int) -> Card:
    """The card, or 404 unless the viewer scanned it or is an administrator."""
    card = await Card.get_or_none(id=card_id)
    if card is None or not (viewer.is_admin or card.owner_id == viewer.id):
        raise not_found("card")
    return card


async def customer_duplicates(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Customers matching the card's company, landlines or fax, each once."""
    phones = [p for p in fields.get("phones") or [] if p] or [None]
    found: dict[int, dict[str, Any]] = {}
    for index, phone in enumerate(phones):
        name = fields.get("company") if index == 0 else None
        fax = fields.get("fax") if index == 0 else None
        for item in await find_duplicates(name, phone, fax):
            seen = found.setdefault(item["id"], {**item, "matched_on": []})
            seen["matched_on"] = sorted(set(seen["matched_on"]) | set(item["matched_on"]))
    return [{"type": "customer", **found[key]} for key in sorted(found)]


def _contact_match(contact: Contact, numbers: set[str]) -> list[str]:
    matched = []
    if contact.mobile_key in numbers:
        matched.append("mobile")
    if contact.phone_key in numbers:
        matched.append("phone")
    return matched


async def contact_duplicates(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Contacts whose mobile or phone is one of the card's numbers."""
    region = get_settings().phone_region
    numbers = dedupe.phone_keys(fields.get("mobile"), *(fields.get("phones") or []), region=region)
    if not numbers:
        return []
    keys = sorted(numbers)
    rows = (
        await Contact.filter(Q(mobile_key__in=keys) | Q(phone_key__in=keys), deleted_at=None)
        .prefetch_related("customer")
        .order_by("id")
        .limit(MAX_CONTACT_DUPLICATES)
    )
    return [
        {
            "type": "contact",
            "id": contact.id,
            "name": contact.name,
            "owner_id": contact.owner_id,
            "in_pool": bool(contact.customer and contact.customer.in_pool),
            "matched_on": _contact_match(contact, numbers),
            "customer_id": contact.customer_id,
        }
        for contact in rows
    ]


async def card_duplicates(card: Card) -> list[dict[str, Any]]:
    """Customers first, then contacts; none until the card has been read.

    A confirmed card does not list the contact and customer it became.
    """
    if card.status == CardStatus.PENDING:
        return []
    fields = card_fields(card)
    itself = {("customer", card.customer_id), ("contact", card.contact_id)}
    found = await customer_duplicates(fields) + await contact_duplicates(fields)
    return [item for item in found if (item["type"], item["id"]) not in itself]


async def card_answer(card: Card) -> CardPayload:
    """The card as GET /cards/{id} and the card.parsed event show it."""
    return render_card(card, await card_duplicates(card))


async def cards_to_read(stale_before: dt.datetime, limit: int = 100) -> list[int]:
    """Pending cards nobody is reading: never claimed, or claimed before `stale_before`."""
    rows = (
        Card.filter(status=CardStatus.PENDING)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale_before))
        .order_by("id")
        .limit(limit)
    )
    return await column(rows, "id")
