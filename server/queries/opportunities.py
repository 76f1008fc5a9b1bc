"""Who sees which opportunities: those of customers they see, and those owned
by people in their scope (a customer handed on keeps its old opportunities
visible to their owner's manager)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.models.customers import Opportunity
from server.paging import newest_first, page
from server.queries import sight_sync
from server.queries.customers import by_customer_or_owner
from server.render.customers import render_opportunity


def visible_opportunities(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Opportunity]:
    return by_customer_or_owner(viewer, Opportunity, include_deleted=include_deleted)


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
        source = sight_sync.children_of_customers(
            viewer, Opportunity, qs, visible_opportunities(viewer), updated_since, render_opportunity
        )
        return await sight_sync.changes_since(source, updated_since, limit, cursor)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page([render_opportunity(r) for r in rows], next_cursor)
