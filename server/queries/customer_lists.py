"""Listing customers: scopes, search, tags, near a point, delta sync, export.

Scopes (each within what the viewer may see):
  mine    owned by the viewer
  shared  shared with the viewer
  team    owned by the viewer or anyone in the departments they manage,
          recursively (a rep: themselves; an admin: every owned customer)
  pool    in the public pool
  all     everything visible (the default)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from server import customer_csv
from server.access import Viewer
from server.errors import invalid_field
from server.geo import bounding_box, distance_m
from server.models.customers import Contact, Customer, CustomerShare, CustomerTag
from server.paging import decode_cursor, encode_cursor, newest_first, page
from server.queries import customer_page, customers_sync
from server.queries.customers import render_customers, shared_with_map, visible_customers
from server.render.customers import render_customer
from server.validation import MAX_DB_INT

MIN_PHONE_DIGITS = 4
EXPORT_BATCH = 1000


# Filters on one field each: equal (the first five) or containing, case-insensitively.
EXACT_FILTERS = ("province", "city", "industry", "source", "level")
FIELD_FILTERS = (*EXACT_FILTERS, "email", "website", "description")
SORTS = {"name": "name", "created": "created_at", "last_contact": "last_contact_at"}


@dataclass
class CustomerFilter:
    scope: str = "all"
    q: str | None = None
    tag: str | None = None
    owner_id: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    last_contact_before: dt.datetime | None = None
    last_contact_after: dt.datetime | None = None
    sort: str | None = None

    def is_plain(self) -> bool:
        """Scope and owner only: the hand-written page (`customer_page`) answers it."""
        return not (self.q or self.tag or self.fields or self.last_contact_before
                    or self.last_contact_after or self.sort)


def scoped(viewer: Viewer, scope: str, *, include_deleted: bool = False) -> QuerySet[Customer]:
    """The customers of one scope. Every scope but `all` is a subset of what the
    viewer sees by construction, so only `all` pays for the visibility test."""
    qs = Customer.all() if include_deleted else Customer.filter(deleted_at=None)
    if scope == "mine":
        return qs.filter(owner_id=viewer.id)
    if scope == "shared":
        return qs.filter(id__in=Subquery(CustomerShare.filter(user_id=viewer.id).values("customer_id")))
    if scope == "pool":
        return qs.filter(in_pool=True)
    if scope == "team":
        owners = viewer.owner_ids()
        return qs.filter(owner_id__not_isnull=True) if owners is None else qs.filter(owner_id__in=sorted(owners))
    return visible_customers(viewer, include_deleted=include_deleted)


def phone_digits(text: str) -> str | None:
    """The digits of a phone-like query as they appear inside an E.164 key."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") and digits.startswith("86"):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    digits = digits.lstrip("0")  # the trunk prefix of 021-…, not part of the key
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def search_q(text: str) -> Q:
    """`q`: a case-insensitive substring of the customer's or a contact's name,
    or (4+ digits) of their phone numbers, whatever the formatting."""
    text = text.strip()
    contact_match = Q(name__icontains=text)
    match = Q(name__icontains=text)
    digits = phone_digits(text)
    if digits:
        match |= Q(phone_key__contains=digits) | Q(fax_key__contains=digits)
        contact_match |= Q(mobile_key__contains=digits) | Q(phone_key__contains=digits)
    contacts = Contact.filter(contact_match, deleted_at=None, customer_id__not_isnull=True)
    return match | Q(id__in=Subquery(contacts.values("customer_id")))


def filtered(viewer: Viewer, flt: CustomerFilter, *, include_deleted: bool = False) -> QuerySet[Customer]:
    qs = scoped(viewer, flt.scope, include_deleted=include_deleted)
    if flt.owner_id is not None:
        qs = qs.filter(owner_id=flt.owner_id)
    if flt.tag:
        qs = qs.filter(id__in=Subquery(CustomerTag.filter(tag=flt.tag.strip()).values("customer_id")))
    if flt.q and flt.q.strip():
        qs = qs.filter(search_q(flt.q))
    for name, value in flt.fields.items():
        lookup = name if name in EXACT_FILTERS else f"{name}__icontains"
        qs = qs.filter(**{lookup: value.strip()})
    if flt.last_contact_before is not None:
        before = flt.last_contact_before.astimezone(dt.timezone.utc)
        qs = qs.filter(Q(last_contact_at=None) | Q(last_contact_at__lt=before))
    if flt.last_contact_after is not None:
        qs = qs.filter(last_contact_at__gte=flt.last_contact_after.astimezone(dt.timezone.utc))
    return qs


async def list_customers(
    viewer: Viewer, flt: CustomerFilter, limit: int, cursor: str | None,
    updated_since: dt.datetime | None = None,
) -> dict[str, Any]:
    if updated_since is not None:
        matching = filtered(viewer, flt, include_deleted=True)
        return await customers_sync.changes_since(viewer, matching, updated_since, limit, cursor)
    if flt.is_plain():
        return await customer_page.plain_page(viewer, flt.scope, flt.owner_id, limit, cursor)
    if flt.sort:
        return await sorted_page(filtered(viewer, flt), flt.sort, limit, cursor)
    rows, next_cursor = await newest_first(filtered(viewer, flt), limit, cursor)
    return page(await render_customers(rows), next_cursor)


async def sorted_page(qs: QuerySet[Customer], sort: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page in the order `sort` names (ties by id), the cursor an offset.

    Never-contacted customers come after the others in both directions of
    `last_contact` (SQLite and PostgreSQL put NULLs at opposite ends)."""
    start = _offset(cursor, "sort")
    column = SORTS[sort.lstrip("-")]
    order = ("-" if sort.startswith("-") else "") + column
    if column != "last_contact_at":
        rows = await qs.order_by(order, "id").offset(start).limit(limit + 1)
    else:
        dated = qs.filter(last_contact_at__not_isnull=True)
        count = await dated.count()
        rows = await dated.order_by(order, "id").offset(start).limit(limit + 1) if start < count else []
        if len(rows) <= limit:
            rows += await qs.filter(last_contact_at=None).order_by("id").offset(max(0, start - count)).limit(
                limit + 1 - len(rows))
    more = len(rows) > limit
    return page(await render_customers(rows[:limit]), encode_cursor({"sort": start + limit}) if more else None)


def parse_point(near: str) -> tuple[float, float]:
    lat_text, lng_text = near.split(",")
    lat, lng = float(lat_text), float(lng_text)
    if not -90 <= lat <= 90:
        raise invalid_field("near", "latitude must be between -90 and 90")
    if not -180 <= lng <= 180:
        raise invalid_field("near", "longitude must be between -180 and 180")
    return lat, lng


def _offset(cursor: str | None, kind: str = "near") -> int:
    key = decode_cursor(cursor)
    if key is None:
        return 0
    if not isinstance(key, dict) or not isinstance(key.get(kind), int) or not 0 <= key[kind] <= MAX_DB_INT:
        raise invalid_field("cursor", "is not a cursor this server gave out")
    return int(key[kind])


async def list_near(
    viewer: Viewer, flt: CustomerFilter, near: str, radius_m: float, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Customers within `radius_m` of a point, nearest first (ties by id).

    A bounding box narrows the candidates in SQL (the (lat, lng) index); the
    exact great-circle distance then decides and orders them.
    """
    lat, lng = parse_point(near)
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius_m)
    qs = filtered(viewer, flt).filter(lat__gte=min_lat, lat__lte=max_lat)
    if -180 <= min_lng and max_lng <= 180:  # a box across the antimeridian: latitude only
        qs = qs.filter(lng__gte=min_lng, lng__lte=max_lng)
    candidates = await qs.filter(lng__not_isnull=True).values_list("id", "lat", "lng")
    ranked = sorted(
        (d, cid) for cid, clat, clng in candidates if (d := distance_m(lat, lng, clat, clng)) <= radius_m
    )
    start = _offset(cursor)
    window = ranked[start : start + limit]
    records = {c.id: c for c in await Customer.filter(id__in=[cid for _, cid in window])}
    shares = await shared_with_map(list(records))
    items = [
        {**render_customer(records[cid], shares.get(cid)), "distance_m": round(d, 1)} for d, cid in window
    ]
    more = start + limit < len(ranked)
    return page(items, encode_cursor({"near": start + limit}) if more else None)


async def export_csv(viewer: Viewer, flt: CustomerFilter) -> AsyncIterator[str]:
    """The CSV of the customers the viewer sees, in id order, a batch at a time,
    so a large export streams instead of sitting in memory."""
    yield customer_csv.export_header()
    after = 0
    while True:
        rows = await filtered(viewer, flt).filter(id__gt=after).order_by("id").limit(EXPORT_BATCH)
        if not rows:
            return
        yield customer_csv.format_batch(await render_customers(rows))
        after = rows[-1].id
