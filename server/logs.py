"""Fieldline's logs: one line per record, each carrying the id of the request
(or job run) that caused it, and never a secret.

The id lives in a context variable, so everything a request causes inherits
it: the actions it calls, the tasks it starts (a card read after its upload),
the after-commit work. Scheduled jobs bind an id per run (`job_context`).

Secrets are kept out twice: nothing of ours logs a token, password,
refresh token or Idempotency-Key, and the formatters scrub anything that looks
like one from the finished line (uvicorn's own lines name the socket path with
its `?token=`; a traceback may quote a request body).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import logging.config
import re
import secrets
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

REQUEST_ID_HEADER = "X-Request-ID"
_current_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("fieldline_request_id", default=None)
# A caller's id is kept only when it looks like an id: no spaces, quotes or control characters.
_CALLER_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

REDACTED = "[redacted]"
# `?token=…` / `&since=…&token=…`, `Bearer …`, JSON or form fields named like
# secrets, JWTs anywhere, an `Idempotency-Key: …` header quoted in a line.
_SECRET_PATTERNS = (
    re.compile(r"(?i)((?:access_|refresh_)?token=)[^&\s\"']+"),
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
    re.compile(
        r"(?i)([\"']?(?:password|old_password|new_password|access_token|refresh_token|token|secret(?:_key)?"
        r"|idempotency[-_]key|smtp_password|authorization)[\"']?\s*[:=]\s*[\"']?)[^\"',}&\s]+"
    ),
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+"),
)


# Every pattern above needs one of these words: a line without any (most access
# lines) is returned as it is after one search instead of four substitutions.
_MAY_HOLD_A_SECRET = re.compile(r"(?i)token|bearer|password|secret|idempotency|authorization|eyj")


def scrub(text: str) -> str:
    """`text` with every secret-looking value replaced by `[redacted]`."""
    if not _MAY_HOLD_A_SECRET.search(text):
        return text
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


def current_request_id() -> str | None:
    return _current_id.get()


def new_request_id() -> str:
    return secrets.token_hex(8)


def caller_request_id(value: str | None) -> str | None:
    """A request id sent by a trusted proxy, if it is usable as one."""
    if value and _CALLER_ID.fullmatch(value):
        return value
    return None


# Set on the ASGI scope by the proxy-headers layer when the peer is a trusted proxy.
TRUSTED_PROXY_KEY = "fieldline.trusted_proxy"


def request_id_for(scope: Mapping[str, Any]) -> str:
    """The id of an HTTP request or socket: a trusted proxy's `X-Request-ID`, or a new one."""
    if scope.get(TRUSTED_PROXY_KEY):
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                kept = caller_request_id(value.decode("latin-1"))
                if kept:
                    return kept
    return new_request_id()


def bind_request_id(request_id: str) -> contextvars.Token[str | None]:
    return _current_id.set(request_id)


def unbind_request_id(token: contextvars.Token[str | None]) -> None:
    _current_id.reset(token)


@contextlib.contextmanager
def job_context(name: str) -> Iterator[str]:
    """Bind a fresh id for one run of job `name` (its log lines share it)."""
    token = _current_id.set(f"job-{name}-{new_request_id()}")
    try:
        yield _current_id.get() or ""
    finally:
        _current_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (`record.request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current_id.get()
        return True


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal: `12:00:01 INFO fieldline.x [ab12…] message`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.rid = f" [{request_id}]" if request_id else ""
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        for key in ("method", "path", "route", "status", "duration_ms", "client"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        return orjson.dumps(line).decode()


def logging_config(level: str = "info", json_lines: bool | None = None) -> dict[str, Any]:
    """A `logging.config.dictConfig` dict for Fieldline and uvicorn.

    JSON lines unless standard error is a terminal (`json_lines=None`).
    uvicorn's access log is off: `fieldline.access` writes one line per
    request instead, with the request id and without the query string.
    """
    if json_lines is None:
        json_lines = not sys.stderr.isatty()
    formatter = "json" if json_lines else "text"
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
               "formatter": formatter, "filters": ["request_id"]}
    upper = level.upper()
    # uvicorn at debug prints every header and socket frame: people's messages, not ours to log.
    server_level = "INFO" if upper == "DEBUG" else upper
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"json": {"()": JsonFormatter}, "text": {"()": TextFormatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            "": {"handlers": ["stderr"], "level": "WARNING"},
            "fieldline": {"level": upper},
            "server": {"level": upper},
            "mobile_api": {"level": upper},
            "realtime": {"level": upper},
            "notifications": {"level": upper},
            "schedulers": {"level": upper},
            "ocr": {"level": upper},
            "uvicorn": {"level": server_level},
            "uvicorn.error": {"level": server_level},
            "uvicorn.access": {"level": "WARNING", "propagate": False, "handlers": []},
            # Its own "Job … executed successfully" lines every tick would drown the rest.
            "apscheduler": {"level": "WARNING"},
        },
    }


def configure_logging(level: str = "info", json_lines: bool | None = None) -> None:
    logging.config.dictConfig(logging_config(level, json_lines))
