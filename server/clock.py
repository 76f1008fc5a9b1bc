"""The clock: every "now" in Fieldline is an aware UTC datetime from here."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
