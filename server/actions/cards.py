"""Scanning business cards: upload, the reader's claim and result, and confirmation.

The flow and its rules are written for the phone team in docs/cards.md.
The card's owner receives `card.parsed` (the card as GET /cards/{id} shows
it) when reading ends, whether it succeeded or failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import F, Q

from ocr import CardResult
from server.access import Viewer
from server.actions.contacts import create_contact
from server.actions.customers import create_customer, duplicate_error
from server.card_queue import card_submitted
from server.clock import utcnow
from server.errors import AppError, ErrorCode, forbidden, invalid_field
from server.events import EventType
from server.models.cards import Card, CardStatus
from server.models.customers import Contact, Customer
from server.queries.cards import access_card, card_answer, customer_duplicates
from server.queries.customers import access_customer, visible_customers
from server.render.cards import card_fields
from server.transaction import atomic, emit, on_commit
from server.uploads import check_upload, delete_upload, store_upload
from server.validation import as_one_line

# A card whose reading was started this many times without an answer (the
# server died each time) is given up on rather than tried forever.
MAX_ATTEMPTS = 3


async def submit_card(viewer: Viewer, data: bytes) -> Card:
    """Check and store a card photo; reading starts after the commit.

    Raises 413, 415 or 422 for refused images (before anything is stored).
    """
    info = await check_upload(data)
    path = await store_upload("cards", data, info)
    try:
        async with atomic():
            card = await Card.create(owner_id=viewer.id, image_path=path, image_mime=info.mime)
            on_commit(lambda: card_submitted(card.id))
    except BaseException:
        await delete_upload(path)
        raise
    return card


async def claim_card(card_id: int, stale_before: dt.datetime) -> Card | None:
    """Take a pending card for reading, unless another reader holds a fresh claim.

    The conditional UPDATE is the claim: of two processes only one changes
    the row. Returns None when the card is not this caller's to read.
    """
    async with atomic():
        claimed = await (
            Card.filter(id=card_id, status=CardStatus.PENDING)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale_before))
            .update(claimed_at=utcnow(), attempts=F("attempts") + 1)
        )
        if not claimed:
            return None
        card = await Card.get(id=card_id)
        if card.attempts > MAX_ATTEMPTS:
            await _finish(card, CardStatus.FAILED, error=f"reading was interrupted {MAX_ATTEMPTS} times")
            return None
    return card


async def refresh_card_claims(card_ids: list[int]) -> None:
    """Renew the claims of the cards this process is reading (its heartbeat)."""
    if not card_ids:
        return
    async with atomic():
        await Card.filter(id__in=card_ids, status=CardStatus.PENDING).exclude(claimed_at=None).update(
            claimed_at=utcnow()
        )


async def release_card_claims(card_ids: list[int]) -> None:
    """Give back cards this process was reading when it stopped (not counted as attempts)."""
    if not card_ids:
        return
    async with atomic():
        await Card.filter(id__in=card_ids, status=CardStatus.PENDING).exclude(claimed_at=None).update(
            claimed_at=None, attempts=F("attempts") - 1
        )


async def record_card_result(card_id: int, result: CardResult) -> Card | None:
    """Store what OCR read and tell the owner; None if the card was already finished."""
    async with atomic():
        card = await Card.select_for_update().get_or_none(id=card_id)
        if card is None or card.status != CardStatus.PENDING:
            return None
        card.card_fields = dict(result.fields)
        card.confidence = {k: float(v) for k, v in result.confidence.items()}
        card.raw_text = result.raw_text
        await _finish(card, CardStatus.DONE)
    return card


async def fail_card(card_id: int, reason: str) -> Card | None:
    """Mark a pending card failed with a reason and tell the owner."""
    async with atomic():
        card = await Card.select_for_update().get_or_none(id=card_id)
        if card is None or card.status != CardStatus.PENDING:
            return None
        await _finish(card, CardStatus.FAILED, error=reason[:200])
    return card


async def _finish(card: Card, status: CardStatus, error: str | None = None) -> None:
    card.status = status
    card.error = error
    await card.save()
    emit(EventType.CARD_PARSED, [card.owner_id], await card_answer(card))


async def confirm_card(
    viewer: Viewer, card_id: int, corrections: dict[str, Any], customer_id: int | None
) -> tuple[Contact, Customer]:
    """Turn a read card into a contact, at an existing customer or a new one.

    One transaction: the customer (if new), the contact and the card's link
    to both commit together or not at all. Rules: docs/cards.md, "Confirm".
    """
    card = await access_card(viewer, card_id)
    if card.owner_id != viewer.id:
        raise forbidden("Only whoever scanned this card may confirm it.")
    _check_confirmable(card)
    fields = {**_read_as_one_line(card_fields(card)), **corrections}
    if not (fields.get("name") or "").strip():
        raise invalid_field("fields.name", "is needed for the contact")
    async with atomic():
        # The conditional UPDATE is taken first, so a second confirmation
        # waits for this one and then finds the card taken.
        if not await Card.filter(id=card_id, confirmed_at=None).update(confirmed_at=utcnow()):
            raise _already_confirmed(card)
        customer = await _customer_for(viewer, fields, customer_id)
        contact = await create_contact(viewer, _contact_data(fields, customer.id, card_id))
        await Card.filter(id=card_id).update(contact_id=contact.id, customer_id=customer.id)
    return contact, customer


_ONE_LINE_FIELDS = ("name", "title", "company", "mobile", "fax", "email", "website")


def _read_as_one_line(fields: dict[str, Any]) -> dict[str, Any]:
    """What the reader took off the image, with the control characters a one-line
    field refuses turned into spaces (a person's corrections are checked instead)."""
    cleaned = dict(fields)
    for name in _ONE_LINE_FIELDS:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = as_one_line(cleaned[name]) or None
    cleaned["phones"] = [p for p in (as_one_line(p) for p in fields.get("phones") or [] if isinstance(p, str)) if p]
    if isinstance(cleaned.get("address"), str):
        cleaned["address"] = cleaned["address"].replace("\x00", "")
    return cleaned


def _check_confirmable(card: Card) -> None:
    if card.status == CardStatus.PENDING:
        raise AppError(
            ErrorCode.CONFLICT,
            "This card is still being read; confirm it once its status is done.",
            {"status": card.status.value},
        )
    if card.confirmed_at is not None:
        raise _already_confirmed(card)


def _already_confirmed(card: Card) -> AppError:
    return AppError(
        ErrorCode.CONFLICT,
        "This card has already been confirmed.",
        {"contact_id": card.contact_id, "customer_id": card.customer_id},
    )


async def _customer_for(viewer: Viewer, fields: dict[str, Any], customer_id: int | None) -> Customer:
    """The customer the contact joins: the one named, the one match the viewer sees, or a new one."""
    if customer_id is not None:
        return await access_customer(viewer, customer_id)
    matches = await customer_duplicates(fields)
    if matches:
        ids = [m["id"] for m in matches]
        visible = await visible_customers(viewer).filter(id__in=ids).order_by("id")
        if len(visible) == 1:
            return visible[0]
        if visible:
            raise AppError(
                ErrorCode.DUPLICATE,
                "Several of the customers you can see match this card; choose one with customer_id.",
                {"duplicates": matches},
            )
        raise duplicate_error(matches)
    company = (fields.get("company") or "").strip()
    if not company:
        raise invalid_field("fields.company", "is needed to create the customer; or give customer_id")
    return await create_customer(viewer, _customer_data(fields, company))


def _fit(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """Cut read text to the columns' lengths (OCR can run lines together)."""
    fitted = {}
    for name, value in data.items():
        limit = getattr(model._meta.fields_map.get(name), "max_length", None)
        fitted[name] = value[:limit] if isinstance(value, str) and limit else value
    return fitted


def _first_phone(fields: dict[str, Any]) -> str | None:
    return next((p for p in fields.get("phones") or [] if p), None)


def _customer_data(fields: dict[str, Any], company: str) -> dict[str, Any]:
    return _fit(Customer, {
        "name": company,
        "phone": _first_phone(fields),
        "fax": fields.get("fax"),
        "address": fields.get("address"),
        "source": "card",
    })


def _contact_data(fields: dict[str, Any], customer_id: int, card_id: int) -> dict[str, Any]:
    return _fit(Contact, {
        "name": fields["name"].strip(),
        "title": fields.get("title"),
        "mobile": fields.get("mobile"),
        "phone": _first_phone(fields),
        "email": fields.get("email"),
        "address": fields.get("address"),
        "website": fields.get("website"),
        "customer_id": customer_id,
        "source": "card",
        "card_id": card_id,
    })
