"""Two doors into Tortoise where its annotations and its behaviour part ways.

- `column`: `values_list(field, flat=True)` answers the column's values, but its
  annotation promises tuples whatever `flat` says.
- `lookup`: `Q(**conditions)` with field names built at run time; `Q` also takes
  a `join_type` string keyword, so a plain `**{...}` of other values reads to a
  checker as if it could land there.
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet


async def column(query: QuerySet[Any], field: str) -> list[Any]:
    """`field` of every row of `query`, in the query's order."""
    values: list[Any] = await query.values_list(field, flat=True)
    return values


def lookup(conditions: dict[str, Any]) -> Q:
    """`Q(**conditions)`: every condition must hold."""
    return Q(**conditions)
