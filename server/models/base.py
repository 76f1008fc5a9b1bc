"""Field sets shared by models (mixins carry no table of their own)."""

from __future__ import annotations

from tortoise import fields


class Timestamped:
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)


class Versioned(Timestamped):
    """A record phones mirror: optimistic `version`, soft delete for delta sync."""

    version = fields.IntField(default=1)
    deleted_at = fields.DatetimeField(null=True)
