"""Days in a person's time zone: "today", the UTC span of a local day, a local
clock time on a given day. The database keeps UTC; these decide which day a
moment belongs to (API.md: every `date=` is a day in the caller's time zone).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(moment: dt.datetime, tz: str) -> dt.date:
    """The calendar day `moment` falls on in `tz`."""
    return moment.astimezone(zone(tz)).date()


def day_span(day: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC of the local day; 23 or 25 hours long across a DST change."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone(tz))
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone(tz))
    return start.astimezone(UTC), end.astimezone(UTC)


def days_span(first: dt.date, last: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """[start of `first`, end of `last`) in UTC."""
    return day_span(first, tz)[0], day_span(last, tz)[1]


def clock_on(day: dt.date, clock: str, tz: str) -> dt.datetime:
    """The UTC moment the wall clock in `tz` shows `clock` ("HH:MM") on `day`.

    A wall time that happens twice (clocks going back) means its first
    occurrence; one that never happens (clocks going forward) is read with the
    offset before the change, as zoneinfo does.
    """
    hour, minute = (int(part) for part in clock.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone(tz))
    return local.astimezone(UTC)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def in_quiet_hours(start: str | None, end: str | None, timezone: str, now: dt.datetime) -> bool:
    """True when `now` falls in [start, end) on the person's clock; the span may cross midnight."""
    if not start or not end or start == end:
        return False
    try:
        where = zone(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        from server.settings import get_settings

        where = zone(get_settings().default_timezone)
    local = now.astimezone(where).strftime("%H:%M")
    return start <= local < end if start < end else local >= start or local < end
