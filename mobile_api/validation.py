"""Query-string and response schemas of the HTTP API (request bodies use
`server.validation.Schema`, shared with the socket)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


def not_null(value: Any) -> Any:
    """For PATCH fields that may be left out (kept) but not set to null:
    `_set = field_validator("name", "role")(not_null)`."""
    if value is None:
        raise ValueError("must not be null")
    return value


class QuerySchema(BaseModel):
    """Query strings arrive as text, so these convert ("50" → 50)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class OutSchema(BaseModel):
    """Response shapes, for the OpenAPI document and response checks in tests."""

    model_config = ConfigDict(extra="allow")
