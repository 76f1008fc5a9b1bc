"""Records as the REST API renders them; events carry the same shapes.

One module per noun; actions use these for event payloads, routes for answers.
"""

from __future__ import annotations

import datetime as dt
from typing import overload


@overload
def iso(value: dt.datetime) -> str: ...
@overload
def iso(value: dt.datetime | None) -> str | None: ...


def iso(value: dt.datetime | None) -> str | None:
    """UTC ISO 8601 with offset, or None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat()
