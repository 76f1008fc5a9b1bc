"""The hot path of `GET /api/v1/customers`: one hand-written SQL statement.

A phone opens the customer list more than anything else, so the plain list
(a scope, maybe an owner, a cursor; no search, tag, distance or sync) skips
the ORM: building the query through Tortoise/pypika and instantiating 50
models cost several times the database's own work. The statement here must
select exactly what `customer_lists.filtered` selects for those parameters;
tests compare the two for every scope and role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from tortoise import connections

from server.access import Viewer
from server.db import dialect
from server.errors import invalid_field
from server.paging import decode_cursor, encode_cursor
from server.render import iso

COLUMNS = ("id, name, phone, fax, address, lat, lng, industry, source, level, tags, owner_id, in_pool, "
           "created_at, updated_at, version")
SHARES = {
    "sqlite": "(SELECT group_concat(s.user_id) FROM customer_shares s WHERE s.customer_id = customers.id)",
    "postgres": "(SELECT string_agg(s.user_id::text, ',') FROM customer_shares s WHERE s.customer_id = customers.id)",
}
SHARED_WITH_VIEWER = "id IN (SELECT customer_id FROM customer_shares WHERE user_id = ?)"


def _in(column: str, values: list[int]) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0"


def _scope(viewer: Viewer, scope: str) -> tuple[list[str], list[Any]]:
    """The WHERE terms of a scope, as `customer_lists.scoped` defines it."""
    owners = viewer.owner_ids()
    if scope == "mine":
        return ["owner_id = ?"], [viewer.id]
    if scope == "shared":
        return [SHARED_WITH_VIEWER], [viewer.id]
    if scope == "pool":
        return ["in_pool = ?"], [True]
    if scope == "team":
        if owners is None:
            return ["owner_id IS NOT NULL"], []
        return [_in("owner_id", sorted(owners))], sorted(owners)
    if owners is None:
        return [], []
    visible = f"({_in('owner_id', sorted(owners))} OR in_pool = ? OR {SHARED_WITH_VIEWER})"
    return [visible], [*sorted(owners), True, viewer.id]


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …`."""
    parts = sql.split("?")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, start=1))


def _cursor(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is not None and (not isinstance(key, int) or isinstance(key, bool)):
        raise invalid_field("cursor", "is not a cursor this server gave out")
    return key


def _time(value: Any) -> str | None:
    if isinstance(value, str):  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff+00:00"
        value = dt.datetime.fromisoformat(value)
    return iso(value)


def _render(row: Any) -> dict[str, Any]:
    tags = row["tags"]
    shares = row["shared_with"]
    return {
        "id": row["id"], "name": row["name"], "phone": row["phone"], "fax": row["fax"],
        "address": row["address"], "lat": row["lat"], "lng": row["lng"], "industry": row["industry"],
        "source": row["source"], "level": row["level"],
        "tags": orjson.loads(tags) if isinstance(tags, (str, bytes)) else list(tags or []),
        "owner_id": row["owner_id"], "in_pool": bool(row["in_pool"]),
        "shared_with": sorted(int(u) for u in shares.split(",")) if shares else [],
        "created_at": _time(row["created_at"]), "updated_at": _time(row["updated_at"]),
        "version": row["version"],
    }


async def plain_page(
    viewer: Viewer, scope: str, owner_id: int | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """A page of a scope (and owner), newest first, with `shared_with` in the same statement."""
    terms, params = _scope(viewer, scope)
    terms.insert(0, "deleted_at IS NULL")
    if owner_id is not None:
        terms.append("owner_id = ?")
        params.append(owner_id)
    after = _cursor(cursor)
    if after is not None:
        terms.append("id < ?")
        params.append(after)
    name = dialect()
    sql = (f"SELECT {COLUMNS}, {SHARES[name]} AS shared_with FROM customers "
           f"WHERE {' AND '.join(terms)} ORDER BY id DESC LIMIT ?")
    params.append(limit + 1)
    if name == "postgres":
        sql = _numbered(sql)
    _, rows = await connections.get("default").execute_query(sql, params)
    more = len(rows) > limit
    items = [_render(row) for row in rows[:limit]]
    return {"items": items, "next_cursor": encode_cursor(items[-1]["id"]) if more and items else None}

