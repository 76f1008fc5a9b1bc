"""The doubts a manager may have about a check-in, as pure functions.

Each flag names one reason (API.md, "Activities and geo-tagged visits"):
`low_accuracy`, `far_from_customer`, `clock_skew`, `impossible_travel`.
Distances come from `server.geo` (great-circle metres).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from server import geo
from server.errors import invalid_field

LOW_ACCURACY_M = 200.0
CLOCK_SKEW_S = 10 * 60
MAX_OFFLINE_AGE = dt.timedelta(hours=72)
MAX_SPEED_KMH = 300.0


@dataclass(frozen=True)
class Fix:
    """Where and when a phone said it was."""

    lat: float
    lng: float
    captured_at: dt.datetime


def check_position(lat: float, lng: float) -> None:
    """422 for a point off the globe (the schema already refuses NaN and strings)."""
    if not math.isfinite(lat) or not -90 <= lat <= 90:
        raise invalid_field("lat", "must be between -90 and 90")
    if not math.isfinite(lng) or not -180 <= lng <= 180:
        raise invalid_field("lng", "must be between -180 and 180")


def check_captured_at(captured_at: dt.datetime, now: dt.datetime, field: str = "captured_at") -> None:
    """A phone clock may run up to 10 min fast; an offline phone may send fixes up to 72 h old."""
    if captured_at > now + dt.timedelta(seconds=CLOCK_SKEW_S):
        raise invalid_field(field, "is in the future; check the phone's clock")
    if captured_at < now - MAX_OFFLINE_AGE:
        raise invalid_field(field, "is more than 72 hours in the past")


def distance_to_customer(fix: Fix, lat: float | None, lng: float | None) -> float | None:
    if lat is None or lng is None:
        return None
    return round(geo.distance_m(fix.lat, fix.lng, lat, lng), 1)


def too_fast(a: Fix, b: Fix) -> bool:
    """True when going from one fix to the other needs more than 300 km/h."""
    seconds = abs((b.captured_at - a.captured_at).total_seconds())
    distance = geo.distance_m(a.lat, a.lng, b.lat, b.lng)
    return geo.speed_kmh(distance, seconds) > MAX_SPEED_KMH


def checkin_flags(
    *,
    accuracy_m: float,
    distance_m: float | None,
    geofence_m: float,
    skew_s: float,
    travel_doubt: bool,
) -> list[str]:
    flags = []
    if accuracy_m > LOW_ACCURACY_M:
        flags.append("low_accuracy")
    if distance_m is not None and distance_m > geofence_m:
        flags.append("far_from_customer")
    if abs(skew_s) > CLOCK_SKEW_S:
        flags.append("clock_skew")
    if travel_doubt:
        flags.append("impossible_travel")
    return flags
