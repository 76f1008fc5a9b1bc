"""Query parameters shared by list endpoints."""

from __future__ import annotations

from pydantic import Field, field_validator

from mobile_api.validation import QuerySchema
from server.validation import Moment

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageQuery(QuerySchema):
    """`?limit=` (default 50, at most 200) and the opaque `?cursor=` of the previous page."""

    limit: int = Field(DEFAULT_LIMIT, ge=1)
    cursor: str | None = Field(None, max_length=512)

    @field_validator("limit")
    @classmethod
    def _cap(cls, value: int) -> int:
        return min(value, MAX_LIMIT)


class SyncQuery(PageQuery):
    """Adds `?updated_since=` for delta sync (tombstones included)."""

    updated_since: Moment | None = None

