"""Checking in at a customer and checking out again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.access import Viewer
from server.actions.customers import note_contact
from server.actions.feed_items import record_feed_item
from server.actions.leads import lead_for_cold_visit
from server.clock import utcnow
from server.errors import conflict, forbidden, invalid_field
from server.i18n import Text
from server.models.customers import Customer
from server.models.leads import Lead
from server.models.visits import CheckIn, Photo
from server.queries.customers import access_customer
from server.queries.visits import access_checkin
from server.settings import get_settings
from server.transaction import atomic
from server.visit_checks import (
    Fix,
    check_captured_at,
    check_position,
    checkin_flags,
    distance_to_customer,
    too_fast,
)


async def _neighbours(user_id: int, at: dt.datetime) -> tuple[CheckIn | None, CheckIn | None]:
    """The rep's check-ins just before and just after `at`, by capture time (not arrival)."""
    before = await CheckIn.filter(user_id=user_id, captured_at__lte=at).order_by("-captured_at", "-id").first()
    after = await CheckIn.filter(user_id=user_id, captured_at__gt=at).order_by("captured_at", "id").first()
    return before, after


def _fix(checkin: CheckIn) -> Fix:
    return Fix(checkin.lat, checkin.lng, checkin.captured_at)


async def _check_photos(viewer: Viewer, photo_ids: list[int]) -> None:
    if not photo_ids:
        return
    own = await Photo.filter(id__in=photo_ids, uploader_id=viewer.id, checkin_id=None,
                             mime__startswith="image/").count()
    if own != len(photo_ids):
        raise invalid_field("photo_ids", "must be photos you uploaded that no other check-in uses")


async def _attach_photos(viewer: Viewer, checkin: CheckIn, photo_ids: list[int]) -> None:
    if not photo_ids:
        return
    attached = await Photo.filter(id__in=photo_ids, uploader_id=viewer.id, checkin_id=None,
                                  mime__startswith="image/").update(checkin_id=checkin.id, attached_at=utcnow())
    if attached != len(photo_ids):  # another check-in took one meanwhile; roll back
        raise invalid_field("photo_ids", "must be photos you uploaded that no other check-in uses")


async def check_in(viewer: Viewer, data: dict[str, Any]) -> CheckIn:
    """Record the visit with its distance to the customer and its flags.

    Without `customer_id` it is a cold visit (陌拜): no distance, attached to
    the lead `lead_id` or to a new lead (`company`, else the address) that the
    visit follows up (`server.actions.leads.lead_for_cold_visit`).

    An offline check-in that lands between two earlier-sent ones is compared
    with both neighbours; the later neighbour gains `impossible_travel` too
    when the new fix makes its leg too fast (flags are only ever added).
    """
    check_position(data["lat"], data["lng"])
    now = utcnow()
    check_captured_at(data["captured_at"], now)
    cold = data.get("customer_id") is None
    customer = None if cold else await access_customer(viewer, data["customer_id"])
    photo_ids = sorted(set(data.get("photo_ids") or []))
    await _check_photos(viewer, photo_ids)
    fix = Fix(data["lat"], data["lng"], data["captured_at"])
    async with atomic():
        lead = await lead_for_cold_visit(viewer, data) if cold else None
        checkin = await _create(viewer, customer, lead, data, fix, photo_ids, now)
        if customer is not None:
            await note_contact(customer.id, checkin.captured_at)
        await _attach_photos(viewer, checkin, photo_ids)
        place = customer.name if customer is not None else lead.company if lead is not None else ""
        await record_feed_item(
            viewer.user, "checkin", _feed_body(place, checkin),
            visibility="department", subject_type=None if cold else "customer",
            subject_id=None if customer is None else customer.id,
            attachments=[{"type": "photo", "id": pid} for pid in photo_ids],
        )
    return checkin


async def _create(
    viewer: Viewer, customer: Customer | None, lead: Lead | None, data: dict[str, Any], fix: Fix,
    photo_ids: list[int], now: dt.datetime,
) -> CheckIn:
    geofence_m = get_settings().geofence_m
    distance = None if customer is None else distance_to_customer(fix, customer.lat, customer.lng)
    before, after = await _neighbours(viewer.id, fix.captured_at)
    onward_too_fast = after is not None and too_fast(fix, _fix(after))
    flags = checkin_flags(
        accuracy_m=data["accuracy_m"], distance_m=distance, geofence_m=geofence_m,
        skew_s=(now - fix.captured_at).total_seconds(),
        travel_doubt=(before is not None and too_fast(_fix(before), fix)) or onward_too_fast,
    )
    if onward_too_fast and after is not None and "impossible_travel" not in after.flags:
        after.flags = [*after.flags, "impossible_travel"]
        await after.save(update_fields=["flags"])
    return await CheckIn.create(
        user_id=viewer.id, customer_id=None if customer is None else customer.id,
        lead_id=None if lead is None else lead.id, lat=fix.lat, lng=fix.lng,
        accuracy_m=data["accuracy_m"], captured_at=fix.captured_at, address=data.get("address"),
        note=data.get("note"), distance_m=distance,
        within_geofence=None if distance is None else distance <= geofence_m,
        flags=flags, photo_ids=photo_ids,
    )


def _feed_body(place: str, checkin: CheckIn) -> Text:
    if checkin.note:
        return Text("feed.checkin.note", customer=place, note=checkin.note)
    return Text("feed.checkin", customer=place)


async def check_out(viewer: Viewer, checkin_id: int, data: dict[str, Any]) -> CheckIn:
    """Close one's own visit once; the duration runs from check-in to check-out capture."""
    checkin = await access_checkin(viewer, checkin_id)
    if checkin.user_id != viewer.id:
        raise forbidden("Only the person who checked in may check out.")
    if checkin.checkout_at is not None:
        raise _already_out()
    check_position(data["lat"], data["lng"])
    captured_at: dt.datetime = data["captured_at"]
    check_captured_at(captured_at, utcnow())
    if captured_at < checkin.captured_at:
        raise invalid_field("captured_at", "is before the check-in")
    duration_s = int((captured_at - checkin.captured_at).total_seconds())
    async with atomic():
        updated = await CheckIn.filter(id=checkin.id, checkout_at__isnull=True).update(
            checkout_lat=data["lat"], checkout_lng=data["lng"], checkout_at=captured_at, duration_s=duration_s
        )
        if not updated:
            raise _already_out()
    return await CheckIn.get(id=checkin.id)


def _already_out() -> Exception:
    return conflict("This check-in is already checked out.")
