"""Customer, contact, opportunity and owner-history entries as the API shows them."""

from __future__ import annotations

from typing import Any

from server.models.customers import Contact, Customer, CustomerHistory, Opportunity
from server.render import iso


def render_customer(customer: Customer, shared_with: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": customer.id,
        "name": customer.name,
        "phone": customer.phone,
        "fax": customer.fax,
        "address": customer.address,
        "lat": customer.lat,
        "lng": customer.lng,
        "industry": customer.industry,
        "source": customer.source,
        "level": customer.level,
        "tags": list(customer.tags or []),
        "province": customer.province,
        "city": customer.city,
        "email": customer.email,
        "website": customer.website,
        "description": customer.description,
        "last_contact_at": iso(customer.last_contact_at),
        "owner_id": customer.owner_id,
        "in_pool": customer.in_pool,
        "shared_with": sorted(shared_with or []),
        "created_at": iso(customer.created_at),
        "updated_at": iso(customer.updated_at),
        "version": customer.version,
    }


def render_duplicate(customer: Customer, matched_on: list[str]) -> dict[str, Any]:
    """What 撞单 reveals of any customer, visible to the caller or not."""
    return {
        "id": customer.id,
        "name": customer.name,
        "owner_id": customer.owner_id,
        "in_pool": customer.in_pool,
        "matched_on": matched_on,
    }


def render_contact(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "customer_id": contact.customer_id,
        "name": contact.name,
        "title": contact.title,
        "mobile": contact.mobile,
        "phone": contact.phone,
        "email": contact.email,
        "wechat": contact.wechat,
        "address": contact.address,
        "website": contact.website,
        "source": contact.source,
        "card_id": contact.card_id,
        "owner_id": contact.owner_id,
        "created_at": iso(contact.created_at),
        "updated_at": iso(contact.updated_at),
        "version": contact.version,
    }


def render_opportunity(opportunity: Opportunity) -> dict[str, Any]:
    amount = opportunity.amount
    return {
        "id": opportunity.id,
        "customer_id": opportunity.customer_id,
        "name": opportunity.name,
        "amount": None if amount is None else float(amount),
        "currency": opportunity.currency,
        "stage": opportunity.stage,
        "status": opportunity.status,
        "loss_reason": opportunity.loss_reason,
        "expected_close": opportunity.expected_close.isoformat() if opportunity.expected_close else None,
        "closed_at": iso(opportunity.closed_at),
        "owner_id": opportunity.owner_id,
        "created_at": iso(opportunity.created_at),
        "updated_at": iso(opportunity.updated_at),
        "version": opportunity.version,
    }


def render_history(entry: CustomerHistory) -> dict[str, Any]:
    return {
        "id": entry.id,
        "customer_id": entry.customer_id,
        "action": entry.action,
        "actor_id": entry.actor_id,
        "from_owner_id": entry.from_owner_id,
        "to_owner_id": entry.to_owner_id,
        "reason": entry.reason,
        "details": entry.details or {},
        "created_at": iso(entry.created_at),
    }
