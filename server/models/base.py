"""Field sets shared by models (mixins carry no table of their own), and a typed nullable text column."""

from __future__ import annotations

from typing import Any

from tortoise import fields


def nullable_text(**kwargs: Any) -> fields.Field[str | None]:
    """A TEXT column that may hold NULL. Tortoise annotates every TextField as
    holding `str`, null or not; this one reads as the `str | None` it holds."""
    column: fields.Field[Any] = fields.TextField(null=True, **kwargs)
    return column


class Timestamped:
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)


class Versioned(Timestamped):
    """A record phones mirror: optimistic `version`, soft delete for delta sync."""

    version = fields.IntField(default=1)
    deleted_at = fields.DatetimeField(null=True)
