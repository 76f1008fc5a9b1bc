"""Delta sync of records whose visibility follows a customer: customers
themselves, their contacts and their opportunities.

Two streams, merged in (time, id) order under one cursor:

* records the viewer sees (and the filter matches) that changed at or after
  `updated_since` — deleted ones as tombstones;
* the moments the viewer may have lost or gained sight of a customer
  (`customer_sight_changes`, written by `server.actions.customers_sight`),
  each standing for the customer itself or for its contacts or opportunities
  — answered with a tombstone when the viewer cannot see the record now,
  with the record when they can and the filter matches it.

A record that merely stops matching a filter while staying visible is not
sent: tombstones mean "you cannot see this any more", never "not in this list".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.paging import encode_cursor, page, time_id_cursor, tombstone
from server.queries.orm import column, lookup
from server.settings import get_settings

Key = tuple[dt.datetime, int]
Entry = tuple[dt.datetime, int, bool]  # (time, record id, from a sight note)


@dataclass(frozen=True)
class SyncSource:
    """What one kind of record needs for a sync page.

    `matching`: the viewer's filtered records, deleted included. `visible`: the
    viewer's records, unfiltered, not deleted. `noted`: rows giving
    (`noted_stamp`, `noted_id`) pairs — the time of a sight note for the viewer
    and the id of a record it stands for. `render`: live records to JSON.
    """

    matching: QuerySet[Any]
    visible: QuerySet[Any]
    noted: QuerySet[Any]
    noted_stamp: str
    noted_id: str
    render: Callable[[list[Any]], Awaitable[list[dict[str, Any]]]]


def children_of_customers(
    viewer: Viewer, model: type[Model], matching: QuerySet[Any], visible: QuerySet[Any], since: dt.datetime,
    render_one: Callable[[Any], dict[str, Any]],
) -> SyncSource:
    """A source for records that come into and leave sight with their customer
    (contacts, opportunities): each note on a customer stands for its records
    the phone may hold (not deleted, or deleted since it last synced)."""
    noted = model.filter(viewer_notes(viewer, "customer__sight_changes__"))
    noted = noted.filter(Q(deleted_at=None) | Q(updated_at__gte=since))

    async def render(records: list[Any]) -> list[dict[str, Any]]:
        return [render_one(r) for r in records]

    return SyncSource(matching=matching, visible=visible, noted=noted,
                      noted_stamp="customer__sight_changes__changed_at", noted_id="id", render=render)


def viewer_notes(viewer: Viewer, prefix: str = "") -> Q:
    """The sight notes written for the viewer, or for everyone (a customer left the pool)."""
    return lookup({f"{prefix}user_id": viewer.id}) | lookup({f"{prefix}user_id": None})



def _after(qs: QuerySet[Any], stamp: str, id_field: str, since: dt.datetime, key: Key | None) -> QuerySet[Any]:
    qs = qs.filter(**{f"{stamp}__gte": since})
    if key is not None:
        qs = qs.filter(lookup({f"{stamp}__gt": key[0]}) | lookup({stamp: key[0], f"{id_field}__gt": key[1]}))
    return qs


def sight_retention() -> dt.timedelta:
    """How long sight notes are kept (`FIELDLINE_SYNC_NOTES_DAYS`). A phone that
    last synced longer ago still gets every change and deletion since then;
    only the tombstones of records that left its sight before the retention
    are missing, which is why a phone away that long should sync in full."""
    return dt.timedelta(days=get_settings().sync_notes_days)


async def changes_since(source: SyncSource, since: dt.datetime, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of changes and sight notes, oldest first."""
    key = time_id_cursor(cursor)
    changed = await _after(source.matching, "updated_at", "id", since, key).order_by("updated_at", "id").limit(
        limit + 1
    ).values_list("updated_at", "id")
    noted = _after(source.noted, source.noted_stamp, source.noted_id, since, key)
    moments = await noted.order_by(source.noted_stamp, source.noted_id).limit(limit + 1).distinct().values_list(
        source.noted_stamp, source.noted_id
    )
    # Each stream is distinct and in order, so more than `limit` merged entries
    # means every entry up to the page's last one has been read from both.
    merged = _unique_pairs(
        sorted({(stamp, rid, False) for stamp, rid in changed} | {(stamp, rid, True) for stamp, rid in moments})
    )
    window, more = merged[:limit], len(merged) > limit
    items = await _render(source, window)
    next_cursor = encode_cursor([window[-1][0].isoformat(), window[-1][1]]) if more else None
    return page(items, next_cursor)


def _unique_pairs(entries: list[Entry]) -> list[Entry]:
    """One entry per (time, id); a change of the record wins over a sight note at the same moment."""
    seen: dict[tuple[dt.datetime, int], bool] = {}
    for stamp, rid, from_sight in entries:
        seen[(stamp, rid)] = seen.get((stamp, rid), True) and from_sight
    return [(stamp, rid, from_sight) for (stamp, rid), from_sight in sorted(seen.items())]


async def _render(source: SyncSource, entries: list[Entry]) -> list[dict[str, Any]]:
    ids = sorted({rid for _, rid, _ in entries})
    live: dict[int, Model] = {r.id: r for r in await source.matching.filter(id__in=ids, deleted_at=None)}
    noted = sorted({rid for _, rid, from_sight in entries if from_sight} - set(live))
    # Visible but outside the filter: nothing to send; out of sight: a tombstone.
    in_sight = set(await column(source.visible.filter(id__in=noted), "id")) if noted else set()
    rendered = {item["id"]: item for item in await source.render(list(live.values()))}
    items: list[dict[str, Any]] = []
    sent: set[int] = set()
    for _, rid, _ in entries:
        if rid in sent or rid in in_sight:
            continue
        sent.add(rid)
        items.append(rendered.get(rid) or dict(tombstone(rid)))
    return items
