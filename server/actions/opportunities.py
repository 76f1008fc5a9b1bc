"""Opportunities (商机): stages, won and lost. A stage or status change posts to the feed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.actions.customers import check_owner
from server.actions.feed_items import record_feed_item
from server.actions.versioning import check_version, mark_deleted
from server.clock import utcnow
from server.errors import forbidden, invalid_field
from server.i18n import Text
from server.models.customers import Opportunity
from server.queries.approvals import check_not_under_review
from server.queries.customers import access_customer
from server.queries.opportunities import access_opportunity, manages_opportunity
from server.transaction import atomic

STAGES = ("lead", "qualified", "proposal", "negotiation")
STATUSES = ("open", "won", "lost")
FIELDS = ("name", "amount", "currency", "stage", "status", "loss_reason", "expected_close")


REQUIRED = ("name", "amount", "currency", "stage", "status")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in FIELDS if k in data}
    for name in REQUIRED:
        if name in values and values[name] is None:
            raise invalid_field(name, "must not be null")
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise invalid_field("name", "must not be empty")
    if values.get("amount") is not None:
        values["amount"] = Decimal(str(values["amount"])).quantize(Decimal("0.01"))
    if "stage" in values and values["stage"] not in STAGES:
        raise invalid_field("stage", "must be one of " + ", ".join(STAGES))
    if "status" in values and values["status"] not in STATUSES:
        raise invalid_field("status", "must be one of " + ", ".join(STATUSES))
    if "currency" in values:
        values["currency"] = (values["currency"] or "CNY").upper()
    return values


def _close(opportunity: Opportunity, old_status: str | None) -> None:
    """Keep closed_at and loss_reason consistent with the status."""
    if opportunity.status == "lost" and not (opportunity.loss_reason or "").strip():
        raise invalid_field("loss_reason", "is required when an opportunity is lost")
    if opportunity.status != "lost":
        opportunity.loss_reason = None
    if opportunity.status == "open":
        opportunity.closed_at = None
    elif opportunity.status != old_status:
        opportunity.closed_at = utcnow()


async def create_opportunity(viewer: Viewer, data: dict[str, Any]) -> Opportunity:
    """An opportunity at a customer the caller sees, owned by them (or `owner_id` in their team)."""
    values = _clean(data)
    if "name" not in values:
        raise invalid_field("name", "is required")
    await access_customer(viewer, data["customer_id"])
    owner_id = data.get("owner_id") or viewer.id
    await check_owner(viewer, owner_id)
    async with atomic():
        opportunity = Opportunity(**values, customer_id=data["customer_id"], owner_id=owner_id)
        _close(opportunity, None)
        await opportunity.save()
    return opportunity


def _feed_body(opportunity: Opportunity, old_stage: str, old_status: str) -> Text | None:
    parts = []
    if opportunity.stage != old_stage:
        parts.append(Text("opportunity.stage", old=Text(f"stage.{old_stage}"), new=Text(f"stage.{opportunity.stage}")))
    if opportunity.status != old_status:
        status = Text(f"status.{opportunity.status}")
        lost = opportunity.status == "lost" and opportunity.loss_reason
        parts.append(Text("opportunity.lost", status=status, reason=opportunity.loss_reason) if lost else status)
    if not parts:
        return None
    return Text("feed.opportunity", name=opportunity.name, changes=parts)


async def update_opportunity(
    viewer: Viewer, opportunity_id: int, data: dict[str, Any], expected_version: int | None = None
) -> Opportunity:
    """Change an opportunity; a new stage or status posts an `opportunity` feed item
    about it (department visibility) in the same transaction."""
    opportunity = await access_opportunity(viewer, opportunity_id)
    if not manages_opportunity(viewer, opportunity):
        raise forbidden("Only the owner or their manager may change this opportunity.")
    values = _clean(data)
    if data.get("customer_id") is not None:
        await access_customer(viewer, data["customer_id"])
        values["customer_id"] = data["customer_id"]
    async with atomic():
        opportunity = await Opportunity.select_for_update().get(id=opportunity_id)
        check_version(opportunity, expected_version)
        await check_not_under_review("opportunity", opportunity_id)
        old_stage, old_status = opportunity.stage, opportunity.status
        for name, value in values.items():
            setattr(opportunity, name, value)
        _close(opportunity, old_status)
        opportunity.version += 1
        await opportunity.save()
        body = _feed_body(opportunity, old_stage, old_status)
        if body:
            await record_feed_item(viewer.user, "opportunity", body, visibility="department",
                                   subject_type="opportunity", subject_id=opportunity.id)
    return opportunity


async def delete_opportunity(viewer: Viewer, opportunity_id: int, expected_version: int | None = None) -> None:
    opportunity = await access_opportunity(viewer, opportunity_id)
    if not manages_opportunity(viewer, opportunity):
        raise forbidden("Only the owner or their manager may delete this opportunity.")
    async with atomic():
        opportunity = await Opportunity.select_for_update().get(id=opportunity_id)
        check_version(opportunity, expected_version)
        await check_not_under_review("opportunity", opportunity_id)
        await mark_deleted(opportunity)
