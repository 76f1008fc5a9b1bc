"""Opportunities (商机): stage, won or lost. Stage and status changes post to the feed."""

from __future__ import annotations

from typing import Any

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import contacts as s
from server.actions import opportunities
from server.queries import opportunities as q
from server.render.customers import render_opportunity


@api.get("/api/v1/opportunities", query=s.OpportunitiesQuery, response=s.OpportunityList)
async def list_opportunities(call: Call) -> Any:
    """Opportunities of customers the caller sees, and those owned by their team."""
    query = call.query
    filters = {"customer_id": query.customer_id, "owner_id": query.owner_id, "stage": query.stage,
               "status": query.status}
    return await q.list_opportunities(call.viewer, filters, query.limit, query.cursor, query.updated_since)


@api.post("/api/v1/opportunities", body=s.OpportunityIn, response=s.Opportunity, status=201, idempotent=True,
          errors=(403,))
async def create_opportunity(call: Call) -> Any:
    """Add an opportunity at a customer the caller sees."""
    data = call.changes()
    return render_opportunity(await opportunities.create_opportunity(call.viewer, data))


@api.get("/api/v1/opportunities/{id:int}", response=s.Opportunity)
async def get_opportunity(call: Call) -> Any:
    """One opportunity."""
    return render_opportunity(await q.access_opportunity(call.viewer, call["id"]))


@api.patch("/api/v1/opportunities/{id:int}", body=s.OpportunityPatchIn, response=s.Opportunity, errors=(403, 409))
async def update_opportunity(call: Call) -> Any:
    """Change an opportunity; `loss_reason` is required when it is lost; `If-Match` → 409 `stale_version`."""
    data = call.changes()
    opportunity = await opportunities.update_opportunity(call.viewer, call["id"], data, if_match(call.request))
    return render_opportunity(opportunity)


@api.delete("/api/v1/opportunities/{id:int}", status=204, errors=(403, 409))
async def delete_opportunity(call: Call) -> None:
    """Delete an opportunity."""
    await opportunities.delete_opportunity(call.viewer, call["id"], if_match(call.request))
