"""A customer's owner history: who moved it, when, from whom, to whom, why."""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.models.customers import CustomerHistory
from server.paging import newest_first, page
from server.queries.customers import access_customer
from server.render.customers import render_history


async def customer_history(viewer: Viewer, customer_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """Newest first; anyone who sees the customer sees its history."""
    await access_customer(viewer, customer_id)
    rows, next_cursor = await newest_first(CustomerHistory.filter(customer_id=customer_id), limit, cursor)
    return page([render_history(r) for r in rows], next_cursor)
