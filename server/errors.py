"""One error hierarchy for HTTP, WebSocket and CLI.

`AppError` carries a code from `ErrorCode`, the HTTP status that tells its
class, a human sentence and optional details. `mobile_api.errors` renders it as
`{"error": {"code", "message", "details"}}`; the WebSocket renders it as an
`error` frame or a close code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import enum
from typing import Any


class ErrorCode(str, enum.Enum):
    MALFORMED = "malformed"
    UNAUTHORIZED = "unauthorized"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_EXPIRED = "token_expired"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    DUPLICATE = "duplicate"
    LIMIT_REACHED = "limit_reached"
    STALE_VERSION = "stale_version"
    CONFLICT = "conflict"
    UNDER_REVIEW = "under_review"  # the record is locked by a pending approval request
    ALREADY_DECIDED = "already_decided"  # the approval step was decided (or withdrawn) first
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA = "unsupported_media"
    VALIDATION_ERROR = "validation_error"
    ACCOUNT_LOCKED = "account_locked"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # set by an administrator: choose your own first
    RATE_LIMITED = "rate_limited"
    INTERNAL = "internal"
    UNAVAILABLE = "unavailable"


_STATUS = {
    ErrorCode.MALFORMED: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.LIMIT_REACHED: 409,
    ErrorCode.STALE_VERSION: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.UNDER_REVIEW: 409,
    ErrorCode.ALREADY_DECIDED: 409,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA: 415,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.ACCOUNT_LOCKED: 423,
    ErrorCode.PASSWORD_CHANGE_REQUIRED: 403,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500,
    ErrorCode.UNAVAILABLE: 503,
}


class AppError(Exception):
    """An answer the client caused; never a bug of ours."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.status = status or _STATUS[code]
        self.headers = headers or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "message": self.message, "details": self.details}


def not_found(what: str = "record") -> AppError:
    """The same answer for 'does not exist' and 'not yours to see'."""
    return AppError(ErrorCode.NOT_FOUND, f"No such {what}.")


@contextlib.contextmanager
def found_as(what: str) -> Iterator[None]:
    """Reading what a record belongs to (a photo's check-in, a payment's
    contract): its 404 must read as a 404 of the record itself, or "No such
    check-in." would tell that the photo exists."""
    try:
        yield
    except AppError as error:
        if error.code != ErrorCode.NOT_FOUND:
            raise
        raise not_found(what) from None


def forbidden(message: str) -> AppError:
    return AppError(ErrorCode.FORBIDDEN, message)


def malformed(message: str) -> AppError:
    return AppError(ErrorCode.MALFORMED, message)


def conflict(message: str, code: ErrorCode = ErrorCode.CONFLICT, **details: Any) -> AppError:
    return AppError(code, message, details)


def rate_limited(message: str, wait_s: float) -> AppError:
    """429 with `Retry-After`: the caller should wait `wait_s` seconds."""
    return AppError(ErrorCode.RATE_LIMITED, message, {"retry_after_s": int(wait_s)},
                    headers={"Retry-After": str(int(wait_s))})


def invalid(fields: dict[str, str], message: str = "Some fields are not valid.") -> AppError:
    """422 with `details.fields`, one sentence per field."""
    return AppError(ErrorCode.VALIDATION_ERROR, message, {"fields": fields})


def invalid_field(name: str, problem: str) -> AppError:
    return invalid({name: problem}, f"{name} {problem}.")
