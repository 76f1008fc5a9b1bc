"""Claiming due rows so that each is handled by exactly one server process.

Every process runs the same periodic jobs; what keeps them from doing the same
work twice is the database, not the scheduler:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED LIMIT n` picks due rows no
  other transaction holds, and the `UPDATE` marks them taken. A second process
  skips the locked rows and takes the next ones; if the claiming process dies,
  its transaction rolls back and the rows are due again.
- SQLite: one `UPDATE … WHERE id IN (due ids) AND <still due> RETURNING …`.
  SQLite runs one writer at a time, so the condition is checked and the row
  marked in one atomic step; only the rows it returns were claimed.

Call `claim_due` inside the `atomic()` that also does the work the claim is
for, so the claim and its effects commit (or vanish) together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from tortoise.connection import get_connection
from tortoise.backends.base.client import BaseDBAsyncClient

from server.transaction import in_atomic


def _connection() -> BaseDBAsyncClient:
    return get_connection("default")


def is_postgres(connection: BaseDBAsyncClient) -> bool:
    return bool(connection.capabilities.dialect == "postgres")


def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …` (our SQL has no `?` in literals)."""
    count = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


async def run_sql(sql: str, params: list[Any]) -> tuple[int, Sequence[dict[str, Any]]]:
    """Run one statement written with `?` placeholders on the current connection."""
    connection = _connection()
    if is_postgres(connection):
        return await connection.execute_query(numbered(sql), params)
    return await connection.execute_query(sql, [_sqlite_value(p) for p in params])


def _sqlite_value(value: Any) -> Any:
    # Tortoise stores aware datetimes as ISO text in UTC; compare like with like.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat(sep=" ")
    if isinstance(value, dt.date):  # DateField is ISO text in SQLite
        return value.isoformat()
    return value


def as_datetime(value: Any) -> dt.datetime:
    """A time column of a claimed row (SQLite hands back text)."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


async def claim_due(
    table: str, *, due: str, due_params: list[Any], order_by: str, limit: int,
    set_sql: str, set_params: list[Any], returning: str,
) -> list[dict[str, Any]]:
    """Mark up to `limit` rows of `table` matching `due` with `set_sql`; the rows taken.

    `due` must stop matching once `set_sql` ran (e.g. `status = 'scheduled'`
    → `status = 'fired'`), which is what makes a second claim find nothing.
    """
    if not in_atomic():
        raise RuntimeError("claim_due() belongs inside the atomic() that does the claimed work")
    if is_postgres(_connection()):
        sql = (
            f"WITH due AS (SELECT id AS due_id FROM {table} WHERE {due} ORDER BY {order_by} LIMIT ? "
            f"FOR UPDATE SKIP LOCKED) "
            f"UPDATE {table} SET {set_sql} FROM due WHERE id = due.due_id RETURNING {returning}"
        )
        params = [*due_params, limit, *set_params]
    else:
        sql = (
            f"UPDATE {table} SET {set_sql} WHERE id IN "
            f"(SELECT id FROM {table} WHERE {due} ORDER BY {order_by} LIMIT ?) AND {due} "
            f"RETURNING {returning}"
        )
        params = [*set_params, *due_params, limit, *due_params]
    _, rows = await run_sql(sql, params)
    return [dict(row) for row in rows]
