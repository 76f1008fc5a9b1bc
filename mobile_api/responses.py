"""JSON answers, encoded once with orjson (UTF-8 as is, not \\u-escaped)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from server.encoding import dumps
from server.logs import current_request_id

JSON_MEDIA_TYPE = "application/json"


class JSONBytesResponse(Response):
    media_type = JSON_MEDIA_TYPE


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = body if isinstance(body, bytes) else dumps(body)
    return JSONBytesResponse(content, status_code=status, headers=headers)


def error_response(error: Any) -> Response:
    """The API.md error shape; a 5xx repeats the request id so a report can name it."""
    headers = dict(getattr(error, "headers", {}) or {})
    body = error.as_dict()
    request_id = current_request_id()
    if error.status >= 500 and request_id:
        body["details"] = {**(body.get("details") or {}), "request_id": request_id}
    return json_response({"error": body}, error.status, headers)
