"""A scanned card as the API shows it (GET /cards/{id} and the card.parsed event)."""

from __future__ import annotations

from typing import Any

from ocr import FIELD_NAMES
from server.events import CardPayload
from server.models.cards import Card
from server.render import iso


def empty_fields() -> dict[str, Any]:
    return {name: ([] if name == "phones" else None) for name in FIELD_NAMES}


def card_fields(card: Card) -> dict[str, Any]:
    """Every field name, read or not, so a phone can lay out the form before OCR ends."""
    return {**empty_fields(), **{k: v for k, v in card.card_fields.items() if k in FIELD_NAMES}}


def render_card(card: Card, duplicates: list[dict[str, Any]]) -> CardPayload:
    return {
        "id": card.id,
        "owner_id": card.owner_id,
        "status": card.status.value,
        "fields": card_fields(card),
        "confidence": dict(card.confidence),
        "raw_text": card.raw_text,
        "error": card.error,
        "duplicates": duplicates,
        "contact_id": card.contact_id,
        "customer_id": card.customer_id,
        "created_at": iso(card.created_at),
        "updated_at": iso(card.updated_at),
    }
