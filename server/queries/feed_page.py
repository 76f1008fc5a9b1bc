"""The hot path of `GET /api/v1/feed`: one hand-written SQL statement.

The feed is what a phone opens first. Building its visibility condition
through Tortoise/pypika (`server.queries.feed.visibility_q`, nested
subqueries over customers and opportunities) cost several times the
database's own work, so the plain page (a scope and a cursor, no subject)
is written out here: the same visibility rule, the scope, the caller's
follows and `liked_by_me`, in one statement. The subject and audience checks
are correlated probes by index for the rows the page reads (`_visible_customer`). It must select exactly what
`visible_items(viewer)` filtered by `scope_q` selects; tests compare the two
for every scope and role (tests/feed/test_feed_page.py).
"""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.db import dialect, read_page
from server.paging import encode_cursor, page
from server.queries.raw_sql import below, in_list, json_list, numbered, sql_time, time_column
from server.render.feed import Reader, feed_body

COLUMNS = {
    name: ("id, kind, author_id, body, text, mentions, visibility, subject_type, subject_id, attachments, "
           f"like_count, comment_count, {time_column('created_at', name)}")
    for name in ("sqlite", "postgres")
}
LIKED = "EXISTS (SELECT 1 FROM feed_likes l WHERE l.post_id = feed_items.id AND l.user_id = ?)"
FOLLOWED = "SELECT target_id FROM follows WHERE user_id = ? AND target_type = ?"


def _visible_customer(me: int, owners: list[int], column: str, alias: str) -> tuple[str, list[Any]]:
    """`column` names a customer a (non-admin) viewer may see, as `customers.visibility_q`.

    A scalar subquery: true, false, or NULL when there is no such customer, and
    in a WHERE only true lets the row through. Written so rather than as `IN`
    or `EXISTS`, which both databases may answer by building the set of every
    customer the viewer sees for each page (PostgreSQL hashes it); this is one
    probe by primary key for each item the page reads, so the page costs the
    same whether the company has a thousand customers or a hundred thousand."""
    sql = (f"(SELECT {alias}.deleted_at IS NULL AND ({in_list(f'{alias}.owner_id', owners)} OR {alias}.in_pool = ?"
           f" OR EXISTS (SELECT 1 FROM customer_shares {alias}s WHERE {alias}s.customer_id = {alias}.id"
           f" AND {alias}s.user_id = ?)) FROM customers {alias} WHERE {alias}.id = {column})")
    return sql, [*owners, True, me]


def _visibility(viewer: Viewer) -> tuple[str, list[Any]]:
    """`feed.visibility_q` for a non-admin: they wrote it, or its subject is visible
    (or it has none) and they are named on it or it is open to them."""
    me = viewer.id
    owners = sorted(viewer.owner_ids() or ())
    customer, customer_params = _visible_customer(me, owners, "feed_items.subject_id", "c")
    via_customer, via_params = _visible_customer(me, owners, "o.customer_id", "oc")
    opportunity = (f"(SELECT o.deleted_at IS NULL AND ({via_customer} OR {in_list('o.owner_id', owners)})"
                   " FROM opportunities o WHERE o.id = feed_items.subject_id)")
    lead = (f"(SELECT d.deleted_at IS NULL AND {in_list('d.owner_id', owners)}"
            " FROM leads d WHERE d.id = feed_items.subject_id)")
    departments = sorted(({viewer.user.department_id} if viewer.user.department_id else set())
                         | set(viewer.scope_department_ids))
    sql = (
        "(author_id = ? OR ("
        "(subject_type IS NULL"
        f" OR (subject_type = ? AND {customer})"
        f" OR (subject_type = ? AND {opportunity})"
        f" OR (subject_type = ? AND {lead}))"
        " AND (EXISTS (SELECT 1 FROM feed_audience a WHERE a.user_id = ? AND a.item_id = feed_items.id)"
        " OR (visibility <> ? AND (subject_type IS NOT NULL OR visibility = ?"
        f" OR (visibility = ? AND {in_list('department_id', departments)}))))))"
    )
    params = [me, "customer", *customer_params, "opportunity", *via_params, *owners, "lead", *owners,
              me, "private", "public", "department", *departments]
    return sql, params


def _scope(viewer: Viewer, scope: str) -> tuple[str | None, list[Any]]:
    """`feed.scope_q` as SQL; None means every visible item."""
    me = viewer.id
    if scope == "following":
        authors = sorted(viewer.team_user_ids | {me})
        sql = (f"({in_list('author_id', authors)} OR author_id IN ({FOLLOWED})"
               f" OR (subject_type = ? AND subject_id IN ({FOLLOWED}))"
               f" OR (subject_type = ? AND subject_id IN ({FOLLOWED}))"
               f" OR (subject_type = ? AND subject_id IN ({FOLLOWED})))")
        return sql, [*authors, me, "user", "customer", me, "customer", "opportunity", me, "opportunity",
                     "lead", me, "lead"]
    if scope == "public":
        return "visibility = ?", ["public"]
    if scope == "mine":
        return "author_id = ?", [me]
    if viewer.is_admin:
        return None, []
    if viewer.is_manager:
        authors = sorted(viewer.team_user_ids | {me})
        return in_list("author_id", authors), authors
    if viewer.user.department_id:
        return "author_id IN (SELECT id FROM users WHERE department_id = ?)", [viewer.user.department_id]
    return "author_id = ?", [me]


def _render(row: Any, reader: Reader) -> dict[str, Any]:
    # Unpacked by position (SQLite's rows find a column by name by comparing names).
    (id_, kind, author_id, body, text, mentions, visibility, subject_type, subject_id, attachments, like_count,
     comment_count, created_at, liked) = row
    return {
        "id": id_, "kind": kind, "author_id": author_id,
        "body": feed_body(body, text, reader),
        "mentions": json_list(mentions), "visibility": visibility,
        "subject": {"type": subject_type, "id": subject_id},
        "attachments": json_list(attachments),
        "like_count": like_count, "comment_count": comment_count,
        "liked_by_me": bool(liked), "created_at": sql_time(created_at),
    }


def page_sql(viewer: Viewer, scope: str, limit: int, cursor: str | None) -> tuple[str, list[Any]]:
    """The statement for a page (with one row more, to know whether more follow)."""
    terms, params = ["deleted_at IS NULL"], []
    if not viewer.is_admin:
        sql, values = _visibility(viewer)
        terms.append(sql)
        params += values
    scope_sql, scope_values = _scope(viewer, scope)
    if scope_sql is not None:
        terms.append(scope_sql)
        params += scope_values
    below(cursor, terms, params)
    name = dialect()
    statement = (f"SELECT {COLUMNS[name]}, {LIKED} AS liked FROM feed_items "
                 f"WHERE {' AND '.join(terms)} ORDER BY id DESC LIMIT ?")
    params = [viewer.id, *params, limit + 1]
    return (numbered(statement) if name == "postgres" else statement), params


async def plain_page(viewer: Viewer, scope: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of the feed in a scope, newest first by id, `liked_by_me` included."""
    sql, params = page_sql(viewer, scope, limit, cursor)
    rows = await read_page(sql, params)
    more = len(rows) > limit
    reader = (viewer.user.language, viewer.user.timezone)
    items = [_render(row, reader) for row in rows[:limit]]
    return page(items, encode_cursor(items[-1]["id"]) if more and items else None)
