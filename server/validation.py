"""Request validation types (`Schema`, `RecordId`, `Day`, `Moment`, `OneLine`) and pydantic's
complaints as 422 `validation_error` with `details.fields`: shared by the HTTP
routes and the socket's client frames."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from server.errors import AppError, ErrorCode


class Schema(BaseModel):
    """Request bodies: strict JSON types, unknown fields ignored, no NaN."""

    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False)


# Ids (and versions) are 32-bit integer columns, and PostgreSQL refuses a
# larger number even in a lookup (`id IN (...)`).
MAX_DB_INT = 2**31 - 1

# An id in a request: lists of ids are `list[RecordId]`, not `list[int]`.
RecordId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
# An id where 0 means "none yet" (read up to, after).
SeenId = Annotated[int, Field(ge=0, le=MAX_DB_INT)]

# A calendar day in a request. Days are turned into UTC spans in the caller's
# time zone, which overflows at the ends of the calendar (`0001-01-01`), so a
# day must lie within these years.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]


def _within_the_calendar(moment: dt.datetime) -> dt.datetime:
    try:
        day: dt.date | None = moment.astimezone(dt.timezone.utc).date()
    except OverflowError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY.year} and {LAST_DAY.year}")
    return moment


# A moment in a request: with an offset, and (like `Day`) within the years the
# database and time-zone arithmetic can hold (`0001-01-01T00:00+05:00` cannot).
Moment = Annotated[AwareDatetime, AfterValidator(_within_the_calendar)]


# Characters a one-line field refuses: C0 controls (CR, LF, tab, NUL…), DEL,
# C1 controls and the Unicode line and paragraph separators. A name or title
# holding one breaks email headers, CSV rows, vCards and log lines.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be one line without control characters")
    return value


def as_one_line(value: str) -> str:
    """`value` made one line: each run of control characters (and spaces) becomes one space.
    For text the server did not get from a person (what OCR read off an image)."""
    return " ".join(_NOT_ONE_LINE.sub(" ", value).split())


# A one-line text in a request: names, titles, customer and task names,
# conversation titles, phone numbers… (422 on the field otherwise).
OneLine = Annotated[str, AfterValidator(one_line)]


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
    return ".".join(parts) or "body"


def _message(error: ErrorDetails) -> str:
    message = error.get("msg", "is not valid")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message[0].lower() + message[1:] if message else "is not valid"


def validation_error(error: ValidationError) -> AppError:
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        fields.setdefault(_field_name(tuple(item.get("loc", ()))), _message(item))
    first = next(iter(fields.items()))
    return AppError(
        ErrorCode.VALIDATION_ERROR,
        f"{first[0]}: {first[1]}" + (f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""),
        {"fields": fields},
    )
