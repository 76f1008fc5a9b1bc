"""Who sees which contacts: a contact follows its customer, or its owner when
it belongs to no customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.models.customers import Contact, Customer
from server.paging import newest_first, page
from server.queries import sight_sync
from server.queries.customer_lists import phone_digits
from server.queries.customers import manages_customer, visible_customers
from server.queries.orm import column
from server.render.customers import render_contact
from server.render.vcard import vcard


def contacts_visibility_q(viewer: Viewer) -> Q | None:
    owners = viewer.owner_ids()
    if owners is None:
        return None
    customers = Subquery(visible_customers(viewer, include_deleted=True).values("id"))
    return Q(customer_id__in=customers) | Q(customer_id=None, owner_id__in=sorted(owners))


def visible_contacts(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Contact]:
    qs = Contact.all() if include_deleted else Contact.filter(deleted_at=None)
    condition = contacts_visibility_q(viewer)
    return qs if condition is None else qs.filter(condition)


async def access_contact(viewer: Viewer, contact_id: int) -> Contact:
    """The contact, or 404 when it does not exist, is deleted or is not visible."""
    contact = await visible_contacts(viewer).get_or_none(id=contact_id)
    if contact is None:
        raise not_found("contact")
    return contact


async def manages_contact(viewer: Viewer, contact: Contact) -> bool:
    """May change or delete it: whoever added it, or whoever manages its customer."""
    if viewer.is_admin or contact.owner_id == viewer.id:
        return True
    if contact.customer_id is None:
        return contact.owner_id is not None and viewer.manages_user(contact.owner_id)
    customer = await Customer.get(id=contact.customer_id)
    return manages_customer(viewer, customer)


async def list_contacts(
    viewer: Viewer, customer_id: int | None, text: str | None, limit: int, cursor: str | None,
    updated_since: dt.datetime | None = None,
) -> dict[str, Any]:
    """Visible contacts, newest first; with `updated_since`, changes oldest first with tombstones."""
    qs = visible_contacts(viewer, include_deleted=updated_since is not None)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if text and text.strip():
        condition = Q(name__icontains=text.strip())
        if digits := phone_digits(text):
            condition |= Q(mobile_key__contains=digits) | Q(phone_key__contains=digits)
        qs = qs.filter(condition)
    if updated_since is not None:
        source = sight_sync.children_of_customers(
            viewer, Contact, qs, visible_contacts(viewer), updated_since, render_contact
        )
        return await sight_sync.changes_since(source, updated_since, limit, cursor)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page([render_contact(r) for r in rows], next_cursor)


async def contact_vcard(viewer: Viewer, contact_id: int) -> str:
    """One contact as a vCard 3.0, with its company as ORG."""
    contact = await access_contact(viewer, contact_id)
    company = None
    if contact.customer_id is not None:
        names = await column(Customer.filter(id=contact.customer_id).limit(1), "name")
        company = names[0] if names else None
    return vcard(
        contact.name, org=company, title=contact.title,
        phones=[("CELL", contact.mobile or ""), ("WORK", contact.phone or "")],
        email=contact.email, address=contact.address, url=contact.website,
        note=f"WeChat: {contact.wechat}" if contact.wechat else None,
    )
