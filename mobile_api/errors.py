"""Every error leaves in one JSON shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from mobile_api.responses import error_response
from server.errors import AppError, ErrorCode

log = logging.getLogger("fieldline.http")

_HTTP_CODES = {
    400: (ErrorCode.MALFORMED, "The request is malformed."),
    401: (ErrorCode.UNAUTHORIZED, "Log in first."),
    403: (ErrorCode.FORBIDDEN, "You may not do this."),
    404: (ErrorCode.NOT_FOUND, "There is no such path; see /api/v1/openapi.json."),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "This path does not take that method."),
    413: (ErrorCode.TOO_LARGE, "The request body is too large."),
    415: (ErrorCode.UNSUPPORTED_MEDIA, "Unsupported media type."),
}


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return error_response(exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, message = _HTTP_CODES.get(exc.status_code, (ErrorCode.MALFORMED, str(exc.detail)))
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and "Allow" not in headers:
        headers["Allow"] = ", ".join(sorted(request.scope.get("route_methods", [])))
    return error_response(AppError(code, message, status=exc.status_code, headers=headers))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(AppError(ErrorCode.INTERNAL, "Something went wrong on our side; it has been logged."))


HANDLERS = {AppError: app_error, HTTPException: http_error, Exception: unexpected_error}
