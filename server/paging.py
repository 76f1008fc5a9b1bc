"""Keyset pages and delta sync over Tortoise querysets.

Normal lists run newest first by id; with `updated_since` they run by
(updated_at, id) ascending and include soft-deleted rows, so a phone that
pages through gets every change once, tombstones included.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from server.errors import invalid_field
from server.events import Tombstone


# A record as a list shows it: a plain dict or an event payload (TypedDict).
Rendered = TypeVar("Rendered", bound=Mapping[str, Any])


def encode_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError):
        raise invalid_field("cursor", "is not a cursor this server gave out") from None


def time_id_cursor(cursor: str | None) -> tuple[dt.datetime, int] | None:
    """The (time, id) key of a cursor made by `encode_cursor([time.isoformat(), id])`."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    try:
        stamp, last_id = dt.datetime.fromisoformat(key[0]), key[1]
    except (TypeError, ValueError, IndexError, KeyError):
        raise invalid_field("cursor", "is not a cursor this server gave out") from None
    if stamp.tzinfo is None or not isinstance(last_id, int) or isinstance(last_id, bool) or len(key) != 2:
        raise invalid_field("cursor", "is not a cursor this server gave out")
    return stamp, last_id


def _int_cursor(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if not isinstance(key, int) or isinstance(key, bool):
        raise invalid_field("cursor", "is not a cursor this server gave out")
    return key


async def _by_id(qs: QuerySet[Any], limit: int, cursor: str | None, ascending: bool) -> tuple[list[Any], str | None]:
    after = _int_cursor(cursor)
    if after is not None:
        qs = qs.filter(id__gt=after) if ascending else qs.filter(id__lt=after)
    rows = await qs.order_by("id" if ascending else "-id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)


async def newest_first(qs: QuerySet[Any], limit: int, cursor: str | None) -> tuple[list[Any], str | None]:
    """Rows by descending id, `limit` of them after the cursor."""
    return await _by_id(qs, limit, cursor, ascending=False)


async def oldest_first(qs: QuerySet[Any], limit: int, cursor: str | None) -> tuple[list[Any], str | None]:
    """Rows by ascending id (queues: the longest-waiting first), `limit` of them after the cursor."""
    return await _by_id(qs, limit, cursor, ascending=True)


async def changed_since(
    qs: QuerySet[Any], since: dt.datetime, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Rows changed at or after `since`, oldest change first, deleted ones included."""
    key = time_id_cursor(cursor)
    qs = qs.filter(updated_at__gte=since)
    if key is not None:
        stamp, last_id = key
        qs = qs.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, id__gt=last_id))
    rows = await qs.order_by("updated_at", "id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1].updated_at.isoformat(), rows[-1].id]) if more and rows else None
    return rows, next_cursor


def page(items: list[Any], next_cursor: str | None = None) -> dict[str, Any]:
    """A page of a list as every list answer shows it: `{"items", "next_cursor"}`."""
    return {"items": items, "next_cursor": next_cursor}


def tombstone(record_id: int) -> Tombstone:
    return {"id": record_id, "deleted": True}


async def page_of(qs: QuerySet[Any], render_many: Callable[[list[Any]], Awaitable[list[Rendered]]], limit: int,
                  cursor: str | None, updated_since: dt.datetime | None) -> dict[str, Any]:
    """A list answer of soft-deletable records: newest first, or by `updated_since` with tombstones.
    `qs` must include deleted rows when `updated_since` is given."""
    if updated_since is None:
        rows, next_cursor = await newest_first(qs, limit, cursor)
        return page(await render_many(rows), next_cursor)
    rows, next_cursor = await changed_since(qs, updated_since, limit, cursor)
    live = iter(await render_many([r for r in rows if r.deleted_at is None]))
    return page([tombstone(r.id) if r.deleted_at else next(live) for r in rows], next_cursor)
