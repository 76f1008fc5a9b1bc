"""Settings, read once from the environment at start.

Every setting of API.md's table lives here. A malformed value stops the server
with one line naming the variable and what it expects (`SettingsError`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from server import runtime


class SettingsError(Exception):
    """A setting is missing a usable value; the message names the variable."""


def _number(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise SettingsError(f"{name} must be a finite number >= 0, got {value!r}")
    return number


def _integer(value: str, name: str) -> int:
    number = _number(value, name)
    if number != int(number):
        raise SettingsError(f"{name} must be a whole number, got {value!r}")
    return int(number)


def _boolean(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name} must be true or false, got {value!r}")


def _clock(value: str, name: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise SettingsError(f"{name} must be a time of day HH:MM, got {value!r}")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _limit(value: str, name: str) -> int | None:
    if value.lower() in ("", "none", "unlimited"):
        return None
    return _integer(value, name)


def _database_url(value: str, name: str) -> str:
    if not re.match(r"^(sqlite|postgres|postgresql|asyncpg)://", value):
        raise SettingsError(f"{name} must be sqlite://PATH or postgres://user@host:port/db, got {value!r}")
    return value


def _redis_url(value: str, name: str) -> str | None:
    if not value:
        return None
    if not re.match(r"^(redis|rediss|memory)://", value):
        raise SettingsError(f"{name} must be redis://host:port/n, got {value!r}")
    return None if value.startswith("memory://") else value


def _language(value: str, name: str) -> str:
    from server.i18n import LANGUAGES

    if value not in LANGUAGES:
        raise SettingsError(f"{name} must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value


def _text(value: str, name: str) -> str:
    return value


def _optional_text(value: str, name: str) -> str | None:
    return value or None


MIN_SECRET_KEY_BYTES = 32


def _secret_key(value: str, name: str) -> str | None:
    if value and len(value.encode()) < MIN_SECRET_KEY_BYTES:
        raise SettingsError(f"{name} must be at least {MIN_SECRET_KEY_BYTES} bytes (say, `openssl rand -base64 48`)")
    return value or None


def _vapid_key(value: str, name: str) -> str | None:
    if not value:
        return None
    from server.vapid import private_key

    try:
        private_key(value)
    except ValueError:
        raise SettingsError(f"{name} must be a P-256 private key: 32 bytes in base64url (43 characters)") from None
    return value


def _region(value: str, name: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        raise SettingsError(f"{name} must be a two-letter region code such as CN, got {value!r}")
    return value.upper()


def _networks(value: str, name: str) -> tuple[str, ...]:
    """Comma-separated addresses or networks (`10.0.0.0/8`); `*` is everyone."""
    import ipaddress

    items = tuple(item.strip() for item in value.split(",") if item.strip())
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(f"{name} must list addresses or networks such as 127.0.0.1,10.0.0.0/8, got {item!r}") from None
    return items


def _origins(value: str, name: str) -> tuple[str, ...]:
    items = tuple(item.strip().rstrip("/") for item in value.split(",") if item.strip())
    for item in items:
        if not re.fullmatch(r"https?://[^/\s]+", item):
            raise SettingsError(f"{name} must list origins such as https://console.example.com, got {item!r}")
    return items


def _log_level(value: str, name: str) -> str:
    lowered = value.strip().lower()
    if lowered not in ("debug", "info", "warning", "error", "critical"):
        raise SettingsError(f"{name} must be debug, info, warning, error or critical, got {value!r}")
    return lowered


def _log_format(value: str, name: str) -> str:
    lowered = value.strip().lower()
    if lowered not in ("auto", "json", "text"):
        raise SettingsError(f"{name} must be auto, json or text, got {value!r}")
    return lowered


def _env(variable: str, parse: Callable[[str, str], Any], default: Any) -> Any:
    return field(default=default, metadata={"env": variable, "parse": parse})


@dataclass(frozen=True)
class Settings:
    database_url: str = _env("DATABASE_URL", _database_url, "sqlite://fieldline.db")
    redis_url: str | None = _env("REDIS_URL", _redis_url, None)
    redis_prefix: str = _env("FIELDLINE_REDIS_PREFIX", _text, "fieldline")
    smtp_host: str | None = _env("SMTP_HOST", _optional_text, None)
    smtp_port: int = _env("SMTP_PORT", _integer, 25)
    smtp_user: str | None = _env("SMTP_USER", _optional_text, None)
    smtp_password: str | None = _env("SMTP_PASSWORD", _optional_text, None)
    smtp_starttls: bool = _env("SMTP_STARTTLS", _boolean, False)
    smtp_from: str = _env("SMTP_FROM", _text, "Fieldline <fieldline@localhost>")
    outbox_dir: str = _env("FIELDLINE_OUTBOX_DIR", _text, "./outbox")
    secret_key: str | None = _env("FIELDLINE_SECRET_KEY", _secret_key, None)
    # Where the generated key is kept when FIELDLINE_SECRET_KEY is unset;
    # empty: `.secret_key` in the upload folder, which every host shares.
    secret_key_file: str = _env("FIELDLINE_SECRET_KEY_FILE", _text, "")
    public_base_url: str = _env("FIELDLINE_PUBLIC_BASE_URL", _text, "http://127.0.0.1:8000")
    geofence_m: float = _env("FIELDLINE_GEOFENCE_M", _number, 500.0)
    # The cap on customers owned (慧聪: reps, 主管 and 经理 alike); "unlimited" lifts it.
    max_customers_per_rep: int | None = _env("FIELDLINE_MAX_CUSTOMERS_PER_REP", _limit, 130)
    max_customers_per_manager: int | None = _env("FIELDLINE_MAX_CUSTOMERS_PER_MANAGER", _limit, 130)
    max_customers_per_admin: int | None = _env("FIELDLINE_MAX_CUSTOMERS_PER_ADMIN", _limit, None)
    event_retention_hours: float = _env("FIELDLINE_EVENT_RETENTION_HOURS", _number, 72.0)
    sync_notes_days: float = _env("FIELDLINE_SYNC_NOTES_DAYS", _number, 90.0)  # who lost sight of what, for delta sync
    email_after_minutes: float = _env("FIELDLINE_EMAIL_AFTER_MINUTES", _number, 10.0)
    email_digest_minutes: float = _env("FIELDLINE_EMAIL_DIGEST_MINUTES", _number, 15.0)
    email_retry_base_s: float = _env("FIELDLINE_EMAIL_RETRY_BASE_S", _number, 30.0)  # doubles per failure
    # Tries before an email that keeps failing temporarily is given up (30 s doubling, at most 1 h apart: about 3 h).
    email_max_attempts: int = _env("FIELDLINE_EMAIL_MAX_ATTEMPTS", _integer, 10)
    daily_report_deadline: str = _env("FIELDLINE_DAILY_REPORT_DEADLINE", _clock, "18:00")
    overdue_escalation_hours: float = _env("FIELDLINE_OVERDUE_ESCALATION_HOURS", _number, 24.0)
    daily_contacts_target: int = _env("FIELDLINE_DAILY_CONTACTS_TARGET", _integer, 35)
    daily_new_key_customers_target: int = _env(
        "FIELDLINE_DAILY_NEW_KEY_CUSTOMERS_TARGET", _integer, 3
    )
    # Not named by API.md; documented in the README and the OpenAPI description.
    access_token_minutes: float = _env("FIELDLINE_ACCESS_TOKEN_MINUTES", _number, 30.0)
    refresh_token_days: float = _env("FIELDLINE_REFRESH_TOKEN_DAYS", _number, 30.0)
    # Per client address and login together; and per address alone, a ceiling high
    # enough for an office of 50 behind one address signing in at 9:00.
    login_attempts_per_minute: int = _env("FIELDLINE_LOGIN_ATTEMPTS_PER_MINUTE", _integer, 10)
    login_attempts_per_address_per_minute: int = _env(
        "FIELDLINE_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", _integer, 300
    )
    # The entry form's 省份 and 城市 required on POST /customers (off: older clients stay valid).
    require_province_city: bool = _env("FIELDLINE_REQUIRE_PROVINCE_CITY", _boolean, False)
    # 慧聪 初始设置: an account an administrator created or reset changes its password at first sign-in.
    password_change_at_first_sign_in: bool = _env("FIELDLINE_PASSWORD_CHANGE_AT_FIRST_SIGN_IN", _boolean, True)
    # When, on each person's own clock, reps below the daily targets and their managers are told.
    quota_alert_at: str = _env("FIELDLINE_QUOTA_ALERT_AT", _clock, "17:00")
    # A rep who has not signed in or refreshed for this many days is locked until
    # an administrator unlocks them (慧聪: 长时间未登陆被锁定); 0 never locks.
    inactivity_lock_days: float = _env("FIELDLINE_INACTIVITY_LOCK_DAYS", _number, 30.0)
    # Global owner lookups (GET /customers/lookup) per user per minute.
    lookups_per_minute: int = _env("FIELDLINE_LOOKUPS_PER_MINUTE", _integer, 30)
    # How long a process trusts a verified session before asking the database again.
    session_cache_s: float = _env("FIELDLINE_SESSION_CACHE_S", _number, 5.0)
    phone_region: str = _env("FIELDLINE_PHONE_REGION", _region, "CN")
    ocr_workers: int = _env("FIELDLINE_OCR_WORKERS", _integer, 0)
    # Set by `fieldline serve --workers N` for its workers: they share the cores' card reading.
    serve_workers: int = _env("FIELDLINE_SERVE_WORKERS", _integer, 1)
    ocr_timeout_s: float = _env("FIELDLINE_OCR_TIMEOUT_S", _number, 60.0)
    scheduler_tick_s: float = _env("FIELDLINE_SCHEDULER_TICK_S", _number, 1.0)
    # A reminder fired more than this long after its time is marked `late`.
    reminder_late_s: float = _env("FIELDLINE_REMINDER_LATE_S", _number, 60.0)
    upload_dir: str = _env("FIELDLINE_UPLOAD_DIR", _text, "./uploads")
    default_timezone: str = _env("FIELDLINE_DEFAULT_TIMEZONE", _text, "Asia/Shanghai")
    default_language: str = _env("FIELDLINE_DEFAULT_LANGUAGE", _language, "zh-CN")
    # The web app's map tiles ({z}/{x}/{y}); empty: no tiles, the map draws plain dots.
    map_tile_url: str = _env("FIELDLINE_MAP_TILE_URL", _text, "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    # Operations (docs/production.md).
    log_level: str = _env("FIELDLINE_LOG_LEVEL", _log_level, "info")
    log_format: str = _env("FIELDLINE_LOG_FORMAT", _log_format, "auto")  # auto: text on a terminal, else JSON
    metrics_allow: tuple[str, ...] = _env("FIELDLINE_METRICS_ALLOW", _networks, ("127.0.0.1", "::1"))
    metrics_token: str | None = _env("FIELDLINE_METRICS_TOKEN", _optional_text, None)
    cors_origins: tuple[str, ...] = _env("FIELDLINE_CORS_ORIGINS", _origins, ())
    # Set by `serve --proxy-headers --forwarded-allow-ips`; read by every worker.
    proxy_headers: bool = _env("FIELDLINE_PROXY_HEADERS", _boolean, False)
    forwarded_allow_ips: tuple[str, ...] = _env("FIELDLINE_FORWARDED_ALLOW_IPS", _networks, ("127.0.0.1",))
    root_path: str = _env("FIELDLINE_ROOT_PATH", _text, "")
    # Push (docs/push.md). A pending push waits this long for a socket of the
    # same device to acknowledge its event before it goes out.
    push_ack_wait_s: float = _env("FIELDLINE_PUSH_ACK_WAIT_S", _number, 2.0)
    push_retry_base_s: float = _env("FIELDLINE_PUSH_RETRY_BASE_S", _number, 10.0)  # doubles per failure
    push_ttl_s: int = _env("FIELDLINE_PUSH_TTL_S", _integer, 86400)  # how long a push service keeps one
    push_allow_http: bool = _env("FIELDLINE_PUSH_ALLOW_HTTP", _boolean, False)  # http:// endpoints (local doubles)
    vapid_private_key: str | None = _env("FIELDLINE_VAPID_PRIVATE_KEY", _vapid_key, None)
    # empty: `.vapid_key` beside the token key's file.
    vapid_key_file: str = _env("FIELDLINE_VAPID_KEY_FILE", _text, "")
    vapid_subject: str = _env("FIELDLINE_VAPID_SUBJECT", _text, "mailto:push@fieldline.invalid")
    fcm_service_account_file: str | None = _env("FIELDLINE_FCM_SERVICE_ACCOUNT_FILE", _optional_text, None)
    fcm_api_url: str = _env("FIELDLINE_FCM_API_URL", _text, "https://fcm.googleapis.com")
    apns_key_file: str | None = _env("FIELDLINE_APNS_KEY_FILE", _optional_text, None)
    apns_key_id: str | None = _env("FIELDLINE_APNS_KEY_ID", _optional_text, None)
    apns_team_id: str | None = _env("FIELDLINE_APNS_TEAM_ID", _optional_text, None)
    apns_topic: str | None = _env("FIELDLINE_APNS_TOPIC", _optional_text, None)
    apns_url: str = _env("FIELDLINE_APNS_URL", _text, "https://api.push.apple.com")

    @property
    def push_senders(self) -> frozenset[str]:
        """The kinds of push subscription this server can send to (Web Push always)."""
        kinds = {"webpush"}
        if self.fcm_service_account_file:
            kinds.add("fcm")
        if self.apns_key_file and self.apns_key_id and self.apns_team_id and self.apns_topic:
            kinds.add("apns")
        return frozenset(kinds)

    @property
    def key_file(self) -> str:
        return self.secret_key_file or os.path.join(self.upload_dir, ".secret_key")

    @property
    def vapid_key_file_path(self) -> str:
        return self.vapid_key_file or os.path.join(os.path.dirname(self.key_file) or ".", ".vapid_key")

    @property
    def is_postgres(self) -> bool:
        return not self.database_url.startswith("sqlite://")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `environ` (default: the process environment)."""
    environ = os.environ if environ is None else environ
    _refuse_unknown(environ)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(Settings):
        variable = spec.metadata["env"]
        if variable in environ:
            values[spec.name] = spec.metadata["parse"](environ[variable].strip(), variable)
    _check_timezone(values.get("default_timezone", Settings.default_timezone))
    return Settings(**values)


# Variables of the test suite, benchmarks and chaos runs: read by those tools, not the server.
TOOL_PREFIXES = ("FIELDLINE_TEST_", "FIELDLINE_BENCH_", "FIELDLINE_CHAOS_", "FIELDLINE_PROOF_",
                 "FIELDLINE_FUZZ_", "FIELDLINE_CHURN_")
# Switches read where they act, not through Settings: checking every event payload (server.events).
SWITCHES = ("FIELDLINE_CHECK_EVENTS",)


def known_variables() -> list[str]:
    return [spec.metadata["env"] for spec in dataclasses.fields(Settings)]


def _refuse_unknown(environ: Mapping[str, str]) -> None:
    """A misspelt FIELDLINE_ variable would otherwise be ignored without a word."""
    import difflib

    known = set(known_variables())
    for variable in sorted(environ):
        if (not variable.startswith("FIELDLINE_") or variable in known or variable in SWITCHES
                or variable.startswith(TOOL_PREFIXES)):
            continue
        nearest = difflib.get_close_matches(variable, sorted(known), n=1, cutoff=0.6)
        hint = f"; did you mean {nearest[0]}?" if nearest else " (README, Configuration, lists every setting)"
        raise SettingsError(f"{variable} is not a Fieldline setting{hint}")


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"FIELDLINE_DEFAULT_TIMEZONE must be an IANA time zone such as Asia/Shanghai, got {name!r}"
        ) from None


def get_settings() -> Settings:
    """The settings in force: the running app's, else read from the environment."""
    app = runtime.active()
    return app.settings if app is not None else environment_settings()


@functools.cache
def environment_settings() -> Settings:
    """The settings the environment gives, read once per process (they never change)."""
    return load_settings()


def use_settings(settings: Settings) -> None:
    """Put other settings in force for the running app (tests call this)."""
    runtime.current().settings = settings
