"""Leads (线索): create, change, drop, convert into a customer; sign-ups arriving
through a source's API key; cold visits attaching to them; overdue follow-ups.

慧聪 资源规则 4: 网上注册会员自接收到24小时内跟进 — a lead that arrives through
an intake source must be followed up within 24 hours (`follow_up_by`). Past
it the owner is told, and `overdue_escalation_hours` later their managers
(`escalate_overdue_leads`, claimed row by row like task escalation).
A lead is followed up when its status leaves `new` (following, dropped,
converted) or when its owner checks in on a cold visit to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from server.access import Viewer, managers_of
from server.actions.claims import claim_due
from server.actions.contacts import create_contact
from server.actions.customers import check_owner, create_customer
from server.actions.notify import notify
from server.actions.opportunities import create_opportunity
from server.actions.versioning import check_version, soft_delete
from server.clock import utcnow
from server.errors import AppError, ErrorCode, conflict, forbidden, invalid_field
from server.i18n import Text
from server.models.leads import Lead, LeadSource
from server.queries.leads import access_lead, manages_lead
from server.settings import get_settings
from server.transaction import atomic

EDITABLE = ("company", "contact_name", "phone", "email", "address", "note")
FOLLOW_UP_HOURS = 24.0
BATCH_SIZE = 100


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in EDITABLE if k in data}
    if "company" in values:
        values["company"] = (values["company"] or "").strip()
        if not values["company"]:
            raise invalid_field("company", "must not be empty")
    return values


async def create_lead(viewer: Viewer, data: dict[str, Any], *, source: str = "manual") -> Lead:
    """A lead owned by the caller (or by `owner_id` in their team)."""
    values = _values(data)
    if "company" not in values:
        raise invalid_field("company", "is required")
    owner_id = data.get("owner_id") or viewer.id
    await check_owner(viewer, owner_id)
    async with atomic():
        return await Lead.create(**values, source=source, owner_id=owner_id, created_by_id=viewer.id)


async def update_lead(viewer: Viewer, lead_id: int, data: dict[str, Any], expected_version: int | None) -> Lead:
    """Change fields or the status (new, following, dropped); leaving `new` is the follow-up."""
    lead = await access_lead(viewer, lead_id)
    if not manages_lead(viewer, lead):
        raise forbidden("Only the owner or their manager may change this lead.")
    values = _values(data)
    async with atomic():
        lead = await Lead.select_for_update().get(id=lead_id)
        check_version(lead, expected_version)
        if lead.status == "converted":
            raise conflict("This lead is already a customer.", customer_id=lead.customer_id)
        for name, value in values.items():
            setattr(lead, name, value)
        if data.get("status") is not None:
            lead.status = data["status"]
            if lead.status != "new" and lead.followed_at is None:
                lead.followed_at = utcnow()
        lead.version += 1
        await lead.save()
    return lead


async def delete_lead(viewer: Viewer, lead_id: int, expected_version: int | None = None) -> None:
    lead = await access_lead(viewer, lead_id)
    if not manages_lead(viewer, lead):
        raise forbidden("Only the owner or their manager may delete this lead.")
    async with atomic():
        await soft_delete(await Lead.select_for_update().get(id=lead_id), expected_version)


async def convert_lead(viewer: Viewer, lead_id: int, data: dict[str, Any]) -> tuple[Lead, Any, Any, Any]:
    """The lead becomes a customer (+ contact, + opportunity when asked) owned by the
    lead's owner, through the same 撞单 check and cap as any create; one transaction.

    409 `duplicate` (the company exists: ask its owner) or `limit_reached` leave
    the lead as it was."""
    lead = await access_lead(viewer, lead_id)
    if not manages_lead(viewer, lead):
        raise forbidden("Only the owner or their manager may convert this lead.")
    async with atomic():
        lead = await Lead.select_for_update().get(id=lead_id)
        if lead.status == "converted":
            raise conflict("This lead is already a customer.", customer_id=lead.customer_id)
        customer = await create_customer(viewer, {
            "name": lead.company, "phone": lead.phone, "email": lead.email, "address": lead.address,
            "source": lead.source, **(data.get("customer") or {}), "owner_id": lead.owner_id,
        })
        contact = None
        if lead.contact_name:
            contact = await create_contact(viewer, {"customer_id": customer.id, "name": lead.contact_name,
                                                    "mobile": lead.phone, "email": lead.email})
        opportunity = None
        if data.get("opportunity"):
            opportunity = await create_opportunity(
                viewer, {**data["opportunity"], "customer_id": customer.id, "owner_id": lead.owner_id})
        lead.status, lead.customer_id = "converted", customer.id
        lead.followed_at = lead.followed_at or utcnow()
        lead.version += 1
        await lead.save()
    return lead, customer, contact, opportunity


async def create_lead_source(viewer: Viewer, name: str, owner_id: int) -> tuple[LeadSource, str]:
    """An intake source with a new API key (shown this once); admins only."""
    viewer.require_admin()
    await check_owner(viewer, owner_id)
    name = name.strip()
    if not name:
        raise invalid_field("name", "must not be empty")
    key = "fl_lead_" + secrets.token_urlsafe(32)
    async with atomic():
        if await LeadSource.exists(name=name):
            raise AppError(ErrorCode.DUPLICATE, f"A lead source named {name} exists.", {"name": name})
        source = await LeadSource.create(name=name, owner_id=owner_id, key_hash=key_hash(key))
    return source, key


async def intake_lead(key: str | None, data: dict[str, Any]) -> Lead:
    """A sign-up arriving from an intake source: owned by the source's owner, to be
    followed up within 24 hours; the owner is told now. 401 for a missing or unknown key."""
    source = await LeadSource.get_or_none(key_hash=key_hash(key), active=True) if key else None
    if source is None:
        raise AppError(ErrorCode.UNAUTHORIZED, "The lead source key is missing or not valid.")
    values = _values(data)
    if "company" not in values:
        raise invalid_field("company", "is required")
    now = utcnow()
    async with atomic():
        lead = await Lead.create(**values, source=source.name, owner_id=source.owner_id,
                                 follow_up_by=now + dt.timedelta(hours=FOLLOW_UP_HOURS))
        await notify([source.owner_id], "system", Text("lead.new", company=lead.company),
                     Text("lead.new.body", source=source.name, due=lead.follow_up_by), link_type="lead", link_id=lead.id)
    return lead


async def lead_for_cold_visit(viewer: Viewer, data: dict[str, Any]) -> Lead:
    """The lead a cold visit (a check-in without a customer) is about: the one named
    by `lead_id` (the caller's to follow), or a new one of source `cold_visit`.
    Call inside the check-in's transaction; the visit counts as its follow-up."""
    if data.get("lead_id") is not None:
        lead = await access_lead(viewer, data["lead_id"])
        if lead.status == "converted":
            raise invalid_field("lead_id", "is a customer now; check in with its customer_id")
    else:
        company = (data.get("company") or "").strip() or (data.get("address") or "").strip() or "陌拜"
        lead = await Lead.create(company=company[:200], address=data.get("address"), source="cold_visit",
                                 owner_id=viewer.id, created_by_id=viewer.id)
    if lead.owner_id == viewer.id and lead.followed_at is None:
        await Lead.filter(id=lead.id).update(followed_at=utcnow(), status="following" if lead.status == "new" else lead.status)
    return lead


async def escalate_overdue_leads(*, now: dt.datetime | None = None, limit: int = BATCH_SIZE) -> int:
    """Tell owners of leads past `follow_up_by` and, `overdue_escalation_hours`
    later, their managers; each step once per lead across processes."""
    now = now or utcnow()
    later = now - dt.timedelta(hours=get_settings().overdue_escalation_hours)
    told = 0
    for stage, before in ((0, now), (1, later)):
        waiting = Lead.filter(status="new", followed_at=None, deleted_at=None, escalation=stage, follow_up_by__lte=before)
        if not await waiting.exists():
            continue
        async with atomic():
            rows = await claim_due(
                "leads",
                due="status = 'new' AND followed_at IS NULL AND deleted_at IS NULL AND escalation = ? "
                    "AND follow_up_by <= ?",
                due_params=[stage, before], order_by="follow_up_by, id", limit=limit,
                set_sql="escalation = ?", set_params=[stage + 1], returning="id, company, owner_id, follow_up_by",
            )
            for row in rows:
                people = [row["owner_id"]] if stage == 0 else await managers_of(row["owner_id"])
                if people:
                    await notify(people, "system", Text("lead.overdue", company=row["company"]),
                                 Text("lead.overdue.body" if stage == 0 else "lead.overdue.manager"),
                                 link_type="lead", link_id=row["id"])
            told += len(rows)
    return told
