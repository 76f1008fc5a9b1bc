"""Who sees which leads, and reading them.

Like owned customers: a lead is seen by its owner, the owner's managers
(recursively) and admins. Soft-deleted leads appear only as delta-sync tombstones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.events import LeadPayload
from server.models.leads import Lead, LeadHistory
from server.paging import newest_first, page, page_of
from server.render.leads import render_lead, render_lead_history

STATUSES = ("new", "following", "converted", "dropped")


def visible_leads(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Lead]:
    qs = Lead.all() if include_deleted else Lead.filter(deleted_at=None)
    owners = viewer.owner_ids()
    return qs if owners is None else qs.filter(owner_id__in=sorted(owners))


async def access_lead(viewer: Viewer, lead_id: int) -> Lead:
    """The lead, or 404 when it does not exist, is deleted or is not visible."""
    lead = await visible_leads(viewer).get_or_none(id=lead_id)
    if lead is None:
        raise not_found("lead")
    return lead


def manages_lead(viewer: Viewer, lead: Lead) -> bool:
    """May change, convert or delete it: its owner, the owner's managers, admins."""
    return viewer.is_admin or lead.owner_id == viewer.id or viewer.manages_user(lead.owner_id)


async def list_leads(
    viewer: Viewer, *, limit: int, cursor: str | None, status: str | None = None,
    owner_id: int | None = None, updated_since: dt.datetime | None = None,
) -> dict[str, Any]:
    """Newest first; with `updated_since`, every change oldest first, tombstones included."""
    qs = visible_leads(viewer, include_deleted=updated_since is not None)
    if status is not None:
        qs = qs.filter(status=status)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return await page_of(qs, _render_leads, limit, cursor, updated_since)


async def _render_leads(rows: list[Lead]) -> list[LeadPayload]:
    return [render_lead(r) for r in rows]


async def lead_history(viewer: Viewer, lead_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """Newest first; anyone who sees the lead sees its history."""
    await access_lead(viewer, lead_id)
    rows, next_cursor = await newest_first(LeadHistory.filter(lead_id=lead_id), limit, cursor)
    return page([render_lead_history(r) for r in rows], next_cursor)
