"""Business-card scanning (名片): upload a photo, read the card, confirm it."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import cards as s
from mobile_api.uploads import read_file_part
from server.actions import cards
from server.queries.cards import access_card, card_answer
from server.queries.customers import customer_answer
from server.render.customers import render_contact


@api.post("/api/v1/cards", body=s.CardUpload, raw_body="multipart", response=s.CardAccepted,
          status=202, idempotent=True, errors=(413, 415, 422))
async def upload_card(call: Call) -> Any:
    """Upload a card photo; it is read in the background (event card.parsed when done)."""
    card = await cards.submit_card(call.viewer, await read_file_part(call.request, "image"))
    return {"id": card.id, "status": card.status.value}


@api.get("/api/v1/cards/{id:int}", response=s.Card)
async def get_card(call: Call) -> Any:
    """A scanned card: status, fields read, confidence and possible duplicates."""
    return await card_answer(await access_card(call.viewer, call["id"]))


@api.post("/api/v1/cards/{id:int}/confirm", body=s.ConfirmCardIn, response=s.ConfirmedCard,
          status=201, idempotent=True, errors=(403, 409))
async def confirm_card(call: Call) -> Any:
    """Create the contact (and the customer when needed) from a card."""
    corrections = call.body.fields.model_dump(exclude_unset=True)
    contact, customer = await cards.confirm_card(call.viewer, call["id"], corrections, call.body.customer_id)
    return {"contact": render_contact(contact), "customer": await customer_answer(customer)}
