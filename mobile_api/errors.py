"""Every error leaves in one JSON shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tortoise.exceptions import IntegrityError
from tortoise.exceptions import ValidationError as ModelValidationError

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


# SQLite: "NOT NULL constraint failed: users.name"; PostgreSQL: 'null value in column "name" ...'
_NOT_NULL = re.compile(r'NOT NULL constraint failed: \w+\.(\w+)|null value in column "(\w+)"')


async def integrity_error(request: Request, exc: Exception) -> Response:
    """A write the database refused that no check caught first: still the client's input.

    An explicit `null` for a column that needs a value is a 422 on that field;
    any other constraint (a unique index, a vanished foreign key) a 409.
    """
    log.warning("database refused a write on %s %s: %s", request.method, request.url.path, exc)
    match = _NOT_NULL.search(str(exc))
    if match:
        name = match.group(1) or match.group(2)
        return error_response(AppError(ErrorCode.VALIDATION_ERROR, f"{name}: must not be null",
                                       {"fields": {name: "must not be null"}}))
    return error_response(AppError(ErrorCode.CONFLICT, "This change conflicts with the stored records."))


async def model_validation_error(request: Request, exc: Exception) -> Response:
    """A value the model's field refused ("name: Value must not be None"): a 422 on that field."""
    log.warning("a model refused a value on %s %s: %s", request.method, request.url.path, exc)
    name, _, problem = str(exc).partition(": ")
    if not problem or not name.isidentifier():
        name, problem = "body", str(exc)
    problem = problem[:1].lower() + problem[1:]
    return error_response(AppError(ErrorCode.VALIDATION_ERROR, f"{name}: {problem}", {"fields": {name: problem}}))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(AppError(ErrorCode.INTERNAL, "Something went wrong on our side; it has been logged."))


HANDLERS = {
    AppError: app_error,
    HTTPException: http_error,
    IntegrityError: integrity_error,
    ModelValidationError: model_validation_error,
    Exception: unexpected_error,
}
