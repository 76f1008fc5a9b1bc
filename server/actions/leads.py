"""Leads (线索): create, change, drop, convert into a customer; sign-ups arriving
through a source's API key; cold visits attaching to them; overdue follow-ups.

慧聪 资源规则 4: 网上注册会员自接收到24小时内跟进 — a lead that arrives through
an intake source must be followed up within 24 hours (`follow_up_by`). Past
it the owner is told, and `overdue_escalation_hours` later their managers
(`escalate_overdue_leads`, claimed row by row like task escalation).
A lead is followed up when its status leaves `new` (following, dropped,
converted) or when its owner checks in on a cold visit to it.

Like a customer, every change leaves a `lead_history` row, sends `lead.updated`
(the lead, or its tombstone) to the owner and the owner's managers, and a new,
reassigned or converted lead posts a `lead` feed item about it (seen by whoever
may see the lead: its owner, their managers, admins, and reaching its followers).
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
from server.actions.feed_items import record_feed_item
from server.events import EventType
from server.i18n import Text
from server.models.identity import User
from server.models.leads import Lead, LeadHistory, LeadSource
from server.paging import tombstone
from server.queries.leads import access_lead, manages_lead
from server.render.leads import render_lead
from server.settings import get_settings
from server.transaction import atomic, emit

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


async def _told(lead: Lead, *also: int | None) -> None:
    """`lead.updated` to the owner, the owner's managers and anyone in `also`
    (a previous owner); a deleted lead goes out as its tombstone."""
    people = {lead.owner_id, *await managers_of(lead.owner_id), *(u for u in also if u)}
    emit(EventType.LEAD_UPDATED, people, tombstone(lead.id) if lead.deleted_at else render_lead(lead))


async def _noted(lead: Lead, action: str, actor_id: int | None, *, from_owner_id: int | None = None,
                 to_owner_id: int | None = None, **details: Any) -> None:
    await LeadHistory.create(lead_id=lead.id, action=action, actor_id=actor_id, from_owner_id=from_owner_id,
                             to_owner_id=to_owner_id, details=details)


def _status_change(old: str, new: str | None = None) -> dict[str, Any]:
    """A history entry's `from` (and `to`) status: `from` is no keyword argument in Python."""
    return {"from": old} if new is None else {"from": old, "to": new}


async def _posted(author_id: int, lead: Lead, body: Text) -> None:
    """A `lead` feed item about the lead; its owner and their managers are its audience."""
    author = await User.get(id=author_id)
    audience = {lead.owner_id, *await managers_of(lead.owner_id)}
    await record_feed_item(author, "lead", body, visibility="department", subject_type="lead",
                           subject_id=lead.id, audience=audience)


async def _created(lead: Lead, actor_id: int) -> None:
    await _noted(lead, "created", actor_id, to_owner_id=lead.owner_id, source=lead.source)
    await _posted(actor_id, lead, Text("feed.lead.created", company=lead.company, source=lead.source))
    await _told(lead)


async def create_lead(viewer: Viewer, data: dict[str, Any], *, source: str = "manual") -> Lead:
    """A lead owned by the caller (or by `owner_id` in their team)."""
    values = _values(data)
    if "company" not in values:
        raise invalid_field("company", "is required")
    owner_id = data.get("owner_id") or viewer.id
    await check_owner(viewer, owner_id)
    async with atomic():
        lead = await Lead.create(**values, source=source, owner_id=owner_id, created_by_id=viewer.id)
        await _created(lead, viewer.id)
    return lead


async def update_lead(viewer: Viewer, lead_id: int, data: dict[str, Any], expected_version: int | None) -> Lead:
    """Change fields, the status (new, following, dropped; leaving `new` is the
    follow-up) or the owner (`owner_id`: someone the caller may give customers to)."""
    lead = await access_lead(viewer, lead_id)
    if not manages_lead(viewer, lead):
        raise forbidden("Only the owner or their manager may change this lead.")
    values = _values(data)
    new_owner = data.get("owner_id")
    if new_owner is not None and new_owner != lead.owner_id:
        await check_owner(viewer, new_owner)
    async with atomic():
        lead = await Lead.select_for_update().get(id=lead_id)
        check_version(lead, expected_version)
        if lead.status == "converted":
            raise conflict("This lead is already a customer.", customer_id=lead.customer_id)
        changed = sorted(n for n, v in values.items() if getattr(lead, n) != v)
        for name, value in values.items():
            setattr(lead, name, value)
        old_status, old_owner = lead.status, lead.owner_id
        if data.get("status") is not None:
            lead.status = data["status"]
            if lead.status != "new" and lead.followed_at is None:
                lead.followed_at = utcnow()
        if new_owner is not None:
            lead.owner_id = new_owner
        lead.version += 1
        await lead.save()
        if changed:
            await _noted(lead, "updated", viewer.id, fields=changed)
        if lead.status != old_status:
            await _noted(lead, "status", viewer.id, **_status_change(old_status, lead.status))
        if lead.owner_id != old_owner:
            await _noted(lead, "assigned", viewer.id, from_owner_id=old_owner, to_owner_id=lead.owner_id)
            owner = await User.get(id=lead.owner_id)
            await _posted(viewer.id, lead, Text("feed.lead.assigned", company=lead.company, owner=owner.name))
        await _told(lead, old_owner)
    return lead


async def delete_lead(viewer: Viewer, lead_id: int, expected_version: int | None = None) -> None:
    lead = await access_lead(viewer, lead_id)
    if not manages_lead(viewer, lead):
        raise forbidden("Only the owner or their manager may delete this lead.")
    async with atomic():
        lead = await Lead.select_for_update().get(id=lead_id)
        await soft_delete(lead, expected_version)
        await _noted(lead, "deleted", viewer.id, from_owner_id=lead.owner_id)
        await _told(lead)


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
        old_status = lead.status
        lead.status, lead.customer_id = "converted", customer.id
        lead.followed_at = lead.followed_at or utcnow()
        lead.version += 1
        await lead.save()
        await _noted(lead, "converted", viewer.id, customer_id=customer.id, **_status_change(old_status))
        await _posted(viewer.id, lead, Text("feed.lead.converted", company=lead.company))
        await _told(lead)
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
        await _created(lead, source.owner_id)
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
                                 owner_id=viewer.id, created_by_id=viewer.id, status="following",
                                 followed_at=utcnow())
        await _created(lead, viewer.id)
        return lead
    if lead.owner_id == viewer.id and lead.followed_at is None:
        old_status = lead.status
        lead.followed_at, lead.status = utcnow(), "following" if lead.status == "new" else lead.status
        lead.version += 1
        await lead.save(update_fields=["followed_at", "status", "version", "updated_at"])
        if lead.status != old_status:
            await _noted(lead, "status", viewer.id, **_status_change(old_status, lead.status), visit=True)
        await _told(lead)
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
