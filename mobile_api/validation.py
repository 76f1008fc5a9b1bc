"""Query-string and response schemas of the HTTP API (request bodies use
`server.validation.Schema`, shared with the socket)."""

from __future__ import annotations

from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model


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


def out_schema_of(name: str, payload: Any) -> type[OutSchema]:
    """The response shape of a record whose event payload type (`server.events`) says it all."""
    fields: dict[str, Any] = {key: (kind, ...) for key, kind in get_type_hints(payload).items()}
    return create_model(name, __base__=OutSchema, **fields)
