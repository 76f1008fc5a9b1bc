"""Contacts (people at customers) and their vCards."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import contacts as s
from server.actions import contacts
from server.queries import contacts as q
from server.render.customers import render_contact


@api.get("/api/v1/contacts", query=s.ContactsQuery, response=s.ContactList)
async def list_contacts(call: Call) -> Any:
    """Contacts the caller sees (those of visible customers, and their own loose ones)."""
    query = call.query
    return await q.list_contacts(call.viewer, query.customer_id, query.q, query.limit, query.cursor,
                                 query.updated_since)


@api.post("/api/v1/contacts", body=s.ContactIn, response=s.Contact, status=201, idempotent=True, errors=(403,))
async def create_contact(call: Call) -> Any:
    """Add a contact, at a customer the caller sees or on its own."""
    return render_contact(await contacts.create_contact(call.viewer, call.changes()))


@api.get("/api/v1/contacts/{id:int}", response=s.Contact)
async def get_contact(call: Call) -> Any:
    """One contact."""
    return render_contact(await q.access_contact(call.viewer, call["id"]))


@api.get("/api/v1/contacts/{id:int}.vcf", produces="text/vcard")
async def contact_vcf(call: Call) -> Response:
    """One contact as a vCard 3.0."""
    body = await q.contact_vcard(call.viewer, call["id"])
    return Response(body, media_type="text/vcard; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="contact-{call["id"]}.vcf"'})


@api.patch("/api/v1/contacts/{id:int}", body=s.ContactPatchIn, response=s.Contact, errors=(403, 409))
async def update_contact(call: Call) -> Any:
    """Change a contact; `If-Match: <version>` → 409 `stale_version`."""
    data = call.changes()
    return render_contact(await contacts.update_contact(call.viewer, call["id"], data, if_match(call.request)))


@api.delete("/api/v1/contacts/{id:int}", status=204, errors=(403, 409))
async def delete_contact(call: Call) -> None:
    """Delete a contact; syncing phones get a tombstone."""
    await contacts.delete_contact(call.viewer, call["id"], if_match(call.request))
