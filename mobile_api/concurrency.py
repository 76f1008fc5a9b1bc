"""`If-Match: <version>` for optimistic concurrency on PATCH and DELETE."""

from __future__ import annotations

from starlette.requests import Request

from server.errors import invalid_field
from server.validation import MAX_DB_INT


def if_match(request: Request) -> int | None:
    """The version the client edited, or None when it sent no If-Match.

    Accepts `3`, `"3"` and `W/"3"`: an ETag-minded client quotes it.
    """
    raw = request.headers.get("if-match")
    if raw is None:
        return None
    text = raw.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or not 0 < int(text) <= MAX_DB_INT:
        raise invalid_field("If-Match", "must be the record's version number")
    return int(text)
