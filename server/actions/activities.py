"""Logging a follow-up note (联系小记) about a customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.access import Viewer
from server.actions.customers import note_contact
from server.actions.feed_items import record_feed_item
from server.actions.reminders import schedule_reminder
from server.errors import invalid_field
from server.i18n import Text
from server.models.customers import Contact, Customer, Opportunity
from server.models.visits import Activity
from server.queries.customers import access_customer
from server.transaction import atomic

KINDS = ("call", "visit", "email", "meeting", "note")


async def _check_links(customer: Customer, contact_id: int | None, opportunity_id: int | None) -> None:
    """The contact and opportunity named must be this customer's."""
    if contact_id is not None and not await Contact.exists(
        id=contact_id, customer_id=customer.id, deleted_at=None
    ):
        raise invalid_field("contact_id", "is not a contact of this customer")
    if opportunity_id is not None and not await Opportunity.exists(
        id=opportunity_id, customer_id=customer.id, deleted_at=None
    ):
        raise invalid_field("opportunity_id", "is not an opportunity of this customer")


async def log_activity(viewer: Viewer, data: dict[str, Any]) -> Activity:
    """Record the note; a `next_contact_at` becomes a follow-up reminder for the author.

    The note, its reminder and its feed item are written in one transaction.
    """
    customer = await access_customer(viewer, data["customer_id"])
    await _check_links(customer, data.get("contact_id"), data.get("opportunity_id"))
    next_contact_at: dt.datetime | None = data.get("next_contact_at")
    async with atomic():
        activity = await Activity.create(
            author_id=viewer.id, customer_id=customer.id, contact_id=data.get("contact_id"),
            opportunity_id=data.get("opportunity_id"), kind=data["kind"], content=data["content"],
            reached=data.get("reached", True), next_contact_at=next_contact_at,
        )
        await note_contact(customer.id, activity.created_at)
        if next_contact_at is not None:
            await schedule_reminder(
                viewer.id, "follow_up", customer.name, next_contact_at,
                link_type="activity", link_id=activity.id,
            )
        await record_feed_item(
            viewer.user, "activity",
            Text("feed.activity", kind=Text(f"activity.{activity.kind}"), customer=customer.name,
                 content=activity.content),
            visibility="department", subject_type="customer", subject_id=customer.id,
        )
    return activity
