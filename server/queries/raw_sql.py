"""What the hand-written hot statements share (`customer_page`, `feed_page`):
`?` placeholders written once for both databases, id cursors, times as the
API renders them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from server.errors import invalid_field
from server.paging import decode_cursor
from server.render import iso
from server.validation import MAX_DB_INT


def in_list(column: str, values: list[int]) -> str:
    """`column IN (?, ?, …)`, or a condition that holds for no row when empty."""
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0"


def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …`."""
    parts = sql.split("?")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, start=1))


def id_cursor(cursor: str | None) -> int | None:
    """The id a newest-first page continues below, or None."""
    key = decode_cursor(cursor)
    if key is not None and (not isinstance(key, int) or isinstance(key, bool)):
        raise invalid_field("cursor", "is not a cursor this server gave out")
    return key


def below(cursor: str | None, terms: list[str], params: list[Any]) -> None:
    """Add `id < cursor` to a WHERE (kept within the database's integer range)."""
    after = id_cursor(cursor)
    if after is None or after > MAX_DB_INT:
        return
    if after < -MAX_DB_INT:
        terms.append("1 = 0")
        return
    terms.append("id < ?")
    params.append(after)


# A timestamp column as `iso()` writes it, computed by PostgreSQL: building a
# datetime for each column and formatting it in Python cost more than the
# database's work for the whole page (three per customer, 1-2 µs each).
_POSTGRES_ISO = ("to_char({c} AT TIME ZONE 'UTC', CASE WHEN date_part('microseconds', {c} AT TIME ZONE 'UTC')"
                 "::bigint % 1000000 = 0 THEN 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"' "
                 "ELSE 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"' END)")


def time_column(column: str, dialect: str) -> str:
    """A timestamp column in a SELECT list, as text `sql_time` passes through on PostgreSQL;
    SQLite stores text already."""
    return f"{_POSTGRES_ISO.format(c=column)} AS {column}" if dialect == "postgres" else column


def sql_time(value: dt.datetime | str | None) -> str | None:
    """A timestamp column as `iso()` renders it (SQLite hands back text, `time_column` too)."""
    if isinstance(value, str):
        if value.endswith("+00:00"):
            if value[10:11] == "T":  # `time_column` on PostgreSQL: iso() already
                return value
            if value[10:11] == " ":  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff+00:00"
                return f"{value[:10]}T{value[11:]}"  # what iso() of the parsed value gives
        value = dt.datetime.fromisoformat(value)
    return iso(value)


def json_list(value: Any) -> list[Any]:
    """A JSON list column (text on SQLite, sometimes text on PostgreSQL)."""
    if value == "[]":  # most rows' tags, mentions and attachments: no parsing
        return []
    return orjson.loads(value) if isinstance(value, (str, bytes)) else list(value or [])
