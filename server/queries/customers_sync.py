"""Delta sync of customers: `GET /api/v1/customers?updated_since=`.

Two streams, merged in (time, id) order under one cursor:

* customers the viewer sees (and the filter matches) that changed at or after
  `updated_since` — deleted ones as tombstones;
* the moments the viewer may have lost or gained sight of a customer
  (`customer_sight_changes`, written by `server.actions.customers_sight`) —
  answered with a tombstone when the viewer cannot see the customer now,
  with the record when they can and the filter matches it.

A customer that merely stops matching a filter (`scope`, `q`, `tag`,
`owner_id`) while staying visible is not sent: tombstones mean "you cannot
see this any more", never "not in this list".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import invalid_field
from server.models.customers import Customer, CustomerSightChange
from server.paging import decode_cursor, encode_cursor, tombstone
from server.queries.customers import render_customers, visible_customers

Key = tuple[dt.datetime, int]


def _cursor_key(cursor: str | None) -> Key | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    try:
        return dt.datetime.fromisoformat(key[0]), int(key[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise invalid_field("cursor", "is not a cursor this server gave out") from None


def _after(qs: QuerySet, stamp: str, id_field: str, since: dt.datetime, key: Key | None) -> QuerySet:
    qs = qs.filter(**{f"{stamp}__gte": since})
    if key is not None:
        qs = qs.filter(Q(**{f"{stamp}__gt": key[0]}) | Q(**{stamp: key[0], f"{id_field}__gt": key[1]}))
    return qs


async def changes_since(
    viewer: Viewer, matching: QuerySet[Customer], since: dt.datetime, limit: int, cursor: str | None
) -> dict[str, Any]:
    """One page of changes; `matching` is the viewer's filtered customers, deleted included."""
    key = _cursor_key(cursor)
    changed = await _after(matching, "updated_at", "id", since, key).order_by("updated_at", "id").limit(
        limit + 1
    ).values_list("updated_at", "id")
    sight = _after(
        CustomerSightChange.filter(Q(user_id=viewer.id) | Q(user_id=None)), "changed_at", "customer_id", since, key
    )
    moments = await sight.order_by("changed_at", "customer_id").limit(limit + 1).distinct().values_list(
        "changed_at", "customer_id"
    )
    # Each stream is distinct and in order, so more than `limit` merged entries
    # means every entry up to the page's last one has been read from both.
    merged = sorted({(stamp, cid, False) for stamp, cid in changed} | {(stamp, cid, True) for stamp, cid in moments})
    merged = _unique_pairs(merged)
    page, more = merged[:limit], len(merged) > limit
    items = await _render(viewer, matching, page)
    next_cursor = encode_cursor([page[-1][0].isoformat(), page[-1][1]]) if more else None
    return {"items": items, "next_cursor": next_cursor}


def _unique_pairs(entries: list[tuple[dt.datetime, int, bool]]) -> list[tuple[dt.datetime, int, bool]]:
    """One entry per (time, id); a change of the record wins over a sight note at the same moment."""
    seen: dict[tuple[dt.datetime, int], bool] = {}
    for stamp, cid, from_sight in entries:
        seen[(stamp, cid)] = seen.get((stamp, cid), True) and from_sight
    return [(stamp, cid, from_sight) for (stamp, cid), from_sight in sorted(seen.items())]


async def _render(viewer: Viewer, matching: QuerySet[Customer], page: list[tuple[dt.datetime, int, bool]]) -> list:
    ids = sorted({cid for _, cid, _ in page})
    live = {c.id: c for c in await matching.filter(id__in=ids, deleted_at=None)}
    noted = sorted({cid for _, cid, from_sight in page if from_sight} - set(live))
    # Visible but outside the filter: nothing to send; out of sight: a tombstone.
    in_sight = set(await visible_customers(viewer).filter(id__in=noted).values_list("id", flat=True)) if noted else set()
    rendered = {item["id"]: item for item in await render_customers(list(live.values()))}
    items, sent = [], set()
    for _, cid, _ in page:
        if cid in sent or cid in in_sight:
            continue
        sent.add(cid)
        items.append(rendered.get(cid) or tombstone(cid))
    return items
