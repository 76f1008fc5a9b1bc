"""Counting field work: check-ins, notes, effective contacts and new customers.

An *effective contact* is a note with `reached: true`, or a check-in (being
there counts as reaching the customer) that no flag puts in doubt as a visit
(`far_from_customer`, `impossible_travel`: DOUBTED_FLAGS), on a customer whose
level is not "0". A *new customer* is one the person created, not one they
imported; a *key customer* is one at level "A" (KEY_LEVELS).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from server.models.customers import Customer
from server.models.visits import Activity, CheckIn
from server.queries.orm import column

KEY_LEVELS = ("A",)
# A check-in with one of these was probably not a visit at the customer.
DOUBTED_FLAGS = frozenset({"far_from_customer", "impossible_travel"})
FIGURES = ("checkins", "activities", "effective_contacts", "new_customers", "new_key_customers")

Span = tuple[dt.datetime, dt.datetime]


def _counted_customer() -> Q:
    """Customers whose contacts count: any level but "0" (no level counts too)."""
    return Q(customer__level__isnull=True) | ~Q(customer__level="0")


async def _effective_checkins(qs: QuerySet[Any]) -> list[tuple[int, dt.datetime]]:
    """(user id, captured_at) of the check-ins that count (flags are JSON: read, then judged here)."""
    rows = await qs.filter(_counted_customer(), customer_id__not_isnull=True).values_list(
        "user_id", "captured_at", "flags")
    return [(uid, at) for uid, at, flags in rows if not DOUBTED_FLAGS.intersection(flags or [])]


async def _grouped(qs: QuerySet[Any], field: str) -> dict[int, int]:
    rows = await qs.annotate(n=Count("id")).group_by(field).values_list(field, "n")
    return {user_id: n for user_id, n in rows}


async def figures_by_user(user_ids: Iterable[int], span: Span) -> dict[int, dict[str, int]]:
    """Each user's figures for [start, end) in UTC."""
    ids = list(user_ids)
    start, end = span
    checkins = CheckIn.filter(user_id__in=ids, captured_at__gte=start, captured_at__lt=end)
    notes = Activity.filter(author_id__in=ids, created_at__gte=start, created_at__lt=end)
    created = Customer.filter(created_by_id__in=ids, created_at__gte=start, created_at__lt=end, deleted_at=None,
                              imported=False)
    effective_checkins: dict[int, int] = defaultdict(int)
    for uid, _ in await _effective_checkins(checkins):
        effective_checkins[uid] += 1
    parts = {
        "checkins": await _grouped(checkins, "user_id"),
        "activities": await _grouped(notes, "author_id"),
        "effective_notes": await _grouped(notes.filter(_counted_customer(), reached=True), "author_id"),
        "effective_checkins": effective_checkins,
        "new_customers": await _grouped(created, "created_by_id"),
        "new_key_customers": await _grouped(created.filter(level__in=KEY_LEVELS), "created_by_id"),
    }
    return {
        uid: {
            "checkins": parts["checkins"].get(uid, 0),
            "activities": parts["activities"].get(uid, 0),
            "effective_contacts": parts["effective_notes"].get(uid, 0) + parts["effective_checkins"].get(uid, 0),
            "new_customers": parts["new_customers"].get(uid, 0),
            "new_key_customers": parts["new_key_customers"].get(uid, 0),
        }
        for uid in ids
    }


async def figures_for(user_id: int, span: Span) -> dict[str, int]:
    return (await figures_by_user([user_id], span))[user_id]


async def moments_by_figure(user_id: int, span: Span) -> dict[str, list[dt.datetime]]:
    """When each counted thing happened, for splitting a range into local days."""
    start, end = span
    checkins = CheckIn.filter(user_id=user_id, captured_at__gte=start, captured_at__lt=end)
    notes = Activity.filter(author_id=user_id, created_at__gte=start, created_at__lt=end)
    created = Customer.filter(created_by_id=user_id, created_at__gte=start, created_at__lt=end, deleted_at=None,
                              imported=False)
    result: dict[str, list[dt.datetime]] = defaultdict(list)
    result["checkins"] = await column(checkins, "captured_at")
    result["activities"] = await column(notes, "created_at")
    result["effective_contacts"] = list(
        await column(notes.filter(_counted_customer(), reached=True), "created_at")
    ) + [at for _, at in await _effective_checkins(checkins)]
    result["new_customers"] = await column(created, "created_at")
    result["new_key_customers"] = list(
        await column(created.filter(level__in=KEY_LEVELS), "created_at")
    )
    return result
