"""JSON answers, encoded once with orjson (UTF-8 as is, not \\u-escaped)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from server.transaction import dumps

JSON_MEDIA_TYPE = "application/json"


class JSONBytesResponse(Response):
    media_type = JSON_MEDIA_TYPE


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = body if isinstance(body, bytes) else dumps(body)
    return JSONBytesResponse(content, status_code=status, headers=headers)


def error_response(error: Any) -> Response:
    headers = dict(getattr(error, "headers", {}) or {})
    return json_response({"error": error.as_dict()}, error.status, headers)
