"""The hot path of `GET /api/v1/customers`: one hand-written SQL statement.

A phone opens the customer list more than anything else, so the plain list
(a scope, maybe an owner, a cursor; no search, tag, distance or sync) skips
the ORM: building the query through Tortoise/pypika and instantiating 50
models cost several times the database's own work. The statement here must
select exactly what `customer_lists.filtered` selects for those parameters;
tests compare the two for every scope and role.
"""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.db import dialect, read_page
from server.paging import encode_cursor, page
from server.queries.raw_sql import below, in_list, json_list, numbered, sql_time, time_column

COLUMNS = {
    name: ("id, name, phone, fax, address, lat, lng, industry, source, level, tags, "
           f"province, city, email, website, description, {time_column('last_contact_at', name)}, owner_id, in_pool, "
           f"{time_column('created_at', name)}, {time_column('updated_at', name)}, version")
    for name in ("sqlite", "postgres")
}
SHARES = {
    "sqlite": "(SELECT group_concat(s.user_id) FROM customer_shares s WHERE s.customer_id = customers.id)",
    "postgres": "(SELECT string_agg(s.user_id::text, ',') FROM customer_shares s WHERE s.customer_id = customers.id)",
}
SHARED_WITH_VIEWER = "id IN (SELECT customer_id FROM customer_shares WHERE user_id = ?)"


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
        return [in_list("owner_id", sorted(owners))], sorted(owners)
    if owners is None:
        return [], []
    visible = f"({in_list('owner_id', sorted(owners))} OR in_pool = ? OR {SHARED_WITH_VIEWER})"
    return [visible], [*sorted(owners), True, viewer.id]


def _render(row: Any) -> dict[str, Any]:
    # Unpacked by position: SQLite's rows find a column by name by comparing it
    # with every column's name, twenty-three times a row.
    (id_, name, phone, fax, address, lat, lng, industry, source, level, tags, province, city, email, website,
     description, last_contact_at, owner_id, in_pool, created_at, updated_at, version, shares) = row
    return {
        "id": id_, "name": name, "phone": phone, "fax": fax, "address": address, "lat": lat, "lng": lng,
        "industry": industry, "source": source, "level": level, "tags": json_list(tags),
        "province": province, "city": city, "email": email, "website": website, "description": description,
        "last_contact_at": None if last_contact_at is None else sql_time(last_contact_at),
        "owner_id": owner_id, "in_pool": bool(in_pool),
        "shared_with": sorted(int(u) for u in shares.split(",")) if shares else [],
        "created_at": sql_time(created_at), "updated_at": sql_time(updated_at), "version": version,
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
    below(cursor, terms, params)
    name = dialect()
    sql = (f"SELECT {COLUMNS[name]}, {SHARES[name]} AS shared_with FROM customers "
           f"WHERE {' AND '.join(terms)} ORDER BY id DESC LIMIT ?")
    params.append(limit + 1)
    if name == "postgres":
        sql = numbered(sql)
    rows = await read_page(sql, params)
    more = len(rows) > limit
    items = [_render(row) for row in rows[:limit]]
    return page(items, encode_cursor(items[-1]["id"]) if more and items else None)

