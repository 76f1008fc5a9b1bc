"""The one JSON encoder (REST answers and event payloads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    """UTF-8 as is, datetimes as ISO 8601 with offset."""
    return orjson.dumps(value, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "value"):  # enums
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
