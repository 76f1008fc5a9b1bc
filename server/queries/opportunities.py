"""Who sees which opportunities: those of customers they see, and those owned
by people in their scope (a customer handed on keeps its old opportunities
visible to their owner's manager)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.models.customers import Opportunity
from server.paging import newest_first
from server.queries import sight_sync
from server.queries.customers import visible_customers
from server.render.customers import render_opportunity


def visible_opportunities(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Opportunity]:
    qs = Opportunity.all() if include_deleted else Opportunity.filter(deleted_at=None)
    owners = viewer.owner_ids()
    if owners is None:
        return qs
    customers = Subquery(visible_customers(viewer).values("id"))
    return qs.filter(Q(customer_id__in=customers) | Q(owner_id__in=sorted(owners)))


async def access_opportunity(viewer: Viewer, opportunity_id: int) -> Opportunity:
    opportunity = await visible_opportunities(viewer).get_or_none(id=opportunity_id)
    if opportunity is None:
        raise not_found("opportunity")
    return opportunity


def manages_opportunity(viewer: Viewer, opportunity: Opportunity) -> bool:
    """Its owner, the owner's managers and admins may change it."""
    if viewer.is_admin or opportunity.owner_id == viewer.id:
        return True
    return opportunity.owner_id is not None and viewer.manages_user(opportunity.owner_id)


async def list_opportunities(viewer: Viewer, filters: dict[str, Any], limit: int, cursor: str | None,
                             updated_since: dt.datetime | None = None) -> dict[str, Any]:
    """Visible opportunities filtered by customer_id, owner_id, stage, status (those not None)."""
    qs = visible_opportunities(viewer, include_deleted=updated_since is not None)
    qs = qs.filter(**{k: v for k, v in filters.items() if v is not None})
    if updated_since is not None:
        return await sight_sync.changes_since(_sync_source(viewer, qs, updated_since), updated_since, limit, cursor)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return {"items": [render_opportunity(r) for r in rows], "next_cursor": next_cursor}


def _sync_source(viewer: Viewer, matching: QuerySet[Opportunity], since: dt.datetime) -> sight_sync.SyncSource:
    """Opportunities come into and leave sight with their customer (unless the viewer
    sees them through their owner): each note on a customer stands for its
    opportunities that the phone may hold (not deleted, or deleted since it last synced)."""
    noted = Opportunity.filter(sight_sync.viewer_notes(viewer, "customer__sight_changes__"))
    noted = noted.filter(Q(deleted_at=None) | Q(updated_at__gte=since))
    return sight_sync.SyncSource(
        matching=matching, visible=visible_opportunities(viewer), noted=noted,
        noted_stamp="customer__sight_changes__changed_at", noted_id="id", render=_render_opportunities,
    )


async def _render_opportunities(opportunities: list[Opportunity]) -> list[dict[str, Any]]:
    return [render_opportunity(o) for o in opportunities]
