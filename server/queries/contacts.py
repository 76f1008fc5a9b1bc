"""Who sees which contacts: a contact follows its customer, or its owner when
it belongs to no customer."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.models.customers import Contact, Customer
from server.queries.customers import manages_customer, visible_customers


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
