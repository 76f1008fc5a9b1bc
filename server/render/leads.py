"""Leads, their history and lead sources as the API shows them."""

from __future__ import annotations

from typing import Any, cast

from server.events import LeadPayload, LeadStatus
from server.models.leads import Lead, LeadHistory, LeadSource
from server.render import iso


def render_lead(lead: Lead) -> LeadPayload:
    return {
        "id": lead.id,
        "company": lead.company,
        "contact_name": lead.contact_name,
        "phone": lead.phone,
        "email": lead.email,
        "address": lead.address,
        "note": lead.note,
        "source": lead.source,
        "status": cast(LeadStatus, lead.status),  # the column holds only these (emit checks under tests)
        "owner_id": lead.owner_id,
        "follow_up_by": iso(lead.follow_up_by),
        "followed_at": iso(lead.followed_at),
        "customer_id": lead.customer_id,
        "created_at": iso(lead.created_at),
        "updated_at": iso(lead.updated_at),
        "version": lead.version,
    }


def render_lead_source(source: LeadSource, key: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"id": source.id, "name": source.name, "owner_id": source.owner_id,
                              "active": source.active, "created_at": iso(source.created_at)}
    if key is not None:
        answer["key"] = key
    return answer


def render_lead_history(entry: LeadHistory) -> dict[str, Any]:
    return {
        "id": entry.id,
        "lead_id": entry.lead_id,
        "action": entry.action,
        "actor_id": entry.actor_id,
        "from_owner_id": entry.from_owner_id,
        "to_owner_id": entry.to_owner_id,
        "details": entry.details or {},
        "created_at": iso(entry.created_at),
    }
