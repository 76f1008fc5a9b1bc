"""Leads (线索): the caller's and their team's, conversion into customers, and the
sign-up intake that outside forms post to with a source's API key."""

from __future__ import annotations

from typing import Any

from mobile_api.concurrency import if_match
from mobile_api.pagination import PageQuery
from mobile_api.routing import Call, api
from mobile_api.schemas import leads as s
from server.actions import leads
from server.queries import customers as customer_q
from server.queries import leads as q
from server.render.customers import render_contact, render_opportunity
from server.render.leads import render_lead, render_lead_source


@api.get("/api/v1/leads", query=s.LeadsQuery, response=s.LeadList)
async def list_leads(call: Call) -> Any:
    """Leads the caller sees (own, and a manager's team's); `updated_since` syncs with tombstones."""
    query = call.query
    return await q.list_leads(call.viewer, limit=query.limit, cursor=query.cursor, status=query.status,
                              owner_id=query.owner_id, updated_since=query.updated_since)


@api.post("/api/v1/leads", body=s.NewLeadIn, response=s.Lead, status=201, idempotent=True, errors=(403,))
async def create_lead(call: Call) -> Any:
    """Add a lead (source manual)."""
    return render_lead(await leads.create_lead(call.viewer, call.changes()))


@api.get("/api/v1/leads/{id:int}", response=s.Lead)
async def get_lead(call: Call) -> Any:
    """One lead."""
    return render_lead(await q.access_lead(call.viewer, call["id"]))


@api.patch("/api/v1/leads/{id:int}", body=s.LeadPatchIn, response=s.Lead, errors=(403, 409))
async def update_lead(call: Call) -> Any:
    """Change a lead, its status or its owner (owner or their manager); `If-Match` → 409 `stale_version`."""
    data = call.changes()
    return render_lead(await leads.update_lead(call.viewer, call["id"], data, if_match(call.request)))


@api.get("/api/v1/leads/{id:int}/history", query=PageQuery, response=s.LeadHistoryList)
async def lead_history(call: Call) -> Any:
    """Who created, changed, reassigned, converted or deleted the lead, and when."""
    return await q.lead_history(call.viewer, call["id"], call.query.limit, call.query.cursor)


@api.delete("/api/v1/leads/{id:int}", status=204, errors=(403, 409))
async def delete_lead(call: Call) -> Any:
    """Delete a lead (owner or their manager)."""
    await leads.delete_lead(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/leads/{id:int}/convert", body=s.ConvertIn, response=s.Converted, errors=(403, 409, 422))
async def convert_lead(call: Call) -> Any:
    """Make the lead a customer (+ contact, + opportunity) owned by its owner: 409 `duplicate`
    when the company exists (撞单), 409 `limit_reached` past the owner's cap."""
    data = call.changes()
    lead, customer, contact, opportunity = await leads.convert_lead(call.viewer, call["id"], data)
    return {"lead": render_lead(lead), "customer": await customer_q.customer_answer(customer),
            "contact": render_contact(contact) if contact else None,
            "opportunity": render_opportunity(opportunity) if opportunity else None}


@api.post("/api/v1/lead-sources", body=s.LeadSourceIn, response=s.LeadSource, status=201, errors=(403, 409))
async def create_lead_source(call: Call) -> Any:
    """An intake source and its API key, shown this once (admins)."""
    source, key = await leads.create_lead_source(call.viewer, call.body.name, call.body.owner_id)
    return render_lead_source(source, key)


@api.post("/api/v1/leads/intake", body=s.LeadIn, response=s.Lead, status=201, auth=False, errors=(401,))
async def intake_lead(call: Call) -> Any:
    """A sign-up from an outside form: `X-Lead-Key: <source key>`; the source's owner must
    follow it up within 24 hours."""
    lead = await leads.intake_lead(call.request.headers.get("x-lead-key"), call.changes())
    return render_lead(lead)
