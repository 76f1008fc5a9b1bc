"""Delta sync of customers: `GET /api/v1/customers?updated_since=`.

Changed customers the viewer sees (and the filter matches) merged with the
moments the viewer lost or gained sight of a customer; how the two streams
are merged and answered is in `server.queries.sight_sync`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.queryset import QuerySet

from server.access import Viewer
from server.models.customers import Customer, CustomerSightChange
from server.queries import sight_sync
from server.queries.customers import render_customers, visible_customers


async def changes_since(
    viewer: Viewer, matching: QuerySet[Customer], since: dt.datetime, limit: int, cursor: str | None
) -> dict[str, Any]:
    """One page of changes; `matching` is the viewer's filtered customers, deleted included."""
    source = sight_sync.SyncSource(
        matching=matching,
        visible=visible_customers(viewer),
        noted=CustomerSightChange.filter(sight_sync.viewer_notes(viewer)),
        noted_stamp="changed_at",
        noted_id="customer_id",
        render=render_customers,
    )
    return await sight_sync.changes_since(source, since, limit, cursor)
