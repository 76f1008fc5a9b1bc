"""The public pool (公海) and who owns a customer: release, claim, transfer, share.

Every owner change leaves a `customer_history` row (who, when, from, to, why).
"""

from __future__ import annotations

import datetime as dt

from server.access import Viewer
from server.actions.customer_cap import lock_owner, refuse_when_full
from server.actions.customers import check_owner
from server.actions.customers_sight import customer_viewers, record_sight_changes
from server.actions.notify import notify
from server.clock import utcnow
from server.db import dialect
from server.errors import AppError, ErrorCode, conflict, forbidden, invalid_field
from server.i18n import Text
from server.models.customers import Customer, CustomerHistory, CustomerShare
from server.models.identity import User
from server.queries.customers import access_customer, manages_customer
from server.queries.orm import column
from server.settings import get_settings
from server.transaction import atomic

CLAIM_RACE_S = 60.0  # a claim that lost to another this recently is told so (409), not 404


async def release_to_pool(viewer: Viewer, customer_id: int, reason: str) -> Customer:
    """Give a customer up to the pool: no owner, shares dropped, the reason kept in history."""
    customer = await access_customer(viewer, customer_id)
    if not manages_customer(viewer, customer):
        raise forbidden("Only the owner or their manager may release this customer.")
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", "must say why the customer goes to the pool")
    async with atomic():
        customer = await Customer.select_for_update().get(id=customer_id)
        if customer.in_pool:
            raise conflict("This customer is already in the public pool.")
        previous, seen_by = customer.owner_id, await customer_viewers(customer)
        customer.owner_id, customer.in_pool, customer.released_at = None, True, utcnow()
        customer.version += 1
        await customer.save()
        await CustomerShare.filter(customer_id=customer_id).delete()
        await record_sight_changes(customer, seen_by, None)
        await CustomerHistory.create(
            customer_id=customer_id, action="released", actor_id=viewer.id,
            from_owner_id=previous, reason=reason,
        )
    return customer


async def _claimed_lately(customer_id: int) -> bool:
    """Claimed out of the public pool within `CLAIM_RACE_S` (so it was on show to everyone)."""
    since = utcnow() - dt.timedelta(seconds=CLAIM_RACE_S)
    return await CustomerHistory.exists(customer_id=customer_id, action="claimed", created_at__gte=since)


async def _lock_claim(user_id: int, customer_id: int) -> tuple[User, Customer]:
    """Serialise claims by the same person and on the same customer before counting:
    the claimant's row first, then the customer's (the cap's lock order)."""
    owner = await lock_owner(user_id)
    if dialect() == "postgres":
        return owner, await Customer.select_for_update().get(id=customer_id)
    return owner, await Customer.get(id=customer_id)


async def claim_from_pool(viewer: Viewer, customer_id: int) -> Customer:
    """Take a pool customer, within the caller's cap (`server.actions.customer_cap`).

    409 `limit_reached` past the cap, 409 `conflict` when someone else got it
    first — also when the winner's claim took the customer out of the caller's
    sight a moment before this claim looked (the pool showed it to everyone
    then). Claiming one's own customer again changes nothing (a retried request).
    """
    try:
        await access_customer(viewer, customer_id)
    except AppError as error:
        if error.code is not ErrorCode.NOT_FOUND or not await _claimed_lately(customer_id):
            raise
        raise conflict("Someone else has claimed this customer.") from None
    async with atomic():
        owner, customer = await _lock_claim(viewer.id, customer_id)
        if customer.owner_id == viewer.id and not customer.in_pool:
            return customer
        if not customer.in_pool or customer.deleted_at is not None:
            raise conflict("Someone else has claimed this customer.")
        await refuse_when_full(owner, viewer.id)
        customer.owner_id, customer.in_pool, customer.released_at = viewer.id, False, None
        customer.version += 1
        await customer.save()
        await record_sight_changes(customer, None, frozenset({viewer.id}))
        await CustomerHistory.create(
            customer_id=customer_id, action="claimed", actor_id=viewer.id, to_owner_id=viewer.id
        )
    return customer


async def transfer_customer(viewer: Viewer, customer_id: int, owner_id: int, reason: str | None = None) -> Customer:
    """Hand a customer (also one from the pool) to someone in the caller's team.

    Managers within their scope and admins; 409 `limit_reached` when the new
    owner is at their cap.
    """
    customer = await access_customer(viewer, customer_id)
    viewer.require_manager()
    if not manages_customer(viewer, customer):
        raise forbidden("Only a manager of the owner may transfer this customer.")
    await check_owner(viewer, owner_id)
    async with atomic():
        owner = await lock_owner(owner_id)
        customer = await Customer.select_for_update().get(id=customer_id)
        if customer.owner_id == owner_id and not customer.in_pool:
            return customer
        await refuse_when_full(owner, viewer.id)
        previous, seen_by = customer.owner_id, await customer_viewers(customer)
        customer.owner_id, customer.in_pool, customer.released_at = owner_id, False, None
        customer.version += 1
        await customer.save()
        await record_sight_changes(customer, seen_by, await customer_viewers(customer))
        await CustomerHistory.create(
            customer_id=customer_id, action="transferred", actor_id=viewer.id,
            from_owner_id=previous, to_owner_id=owner_id, reason=reason,
        )
        if owner_id != viewer.id:
            await notify([owner_id], "system", Text("customer.transferred", customer=customer.name),
                         link_type="customer", link_id=customer_id)
    return customer


async def share_customer(viewer: Viewer, customer_id: int, user_ids: list[int]) -> Customer:
    """Set the colleagues a customer is shared with (the list replaces the old one;
    an empty list stops sharing). The owner is never in the list."""
    customer = await access_customer(viewer, customer_id)
    if not manages_customer(viewer, customer):
        raise forbidden("Only the owner or their manager may share this customer.")
    wanted = set(user_ids) - {customer.owner_id}
    found = set(await column(User.filter(id__in=sorted(wanted), active=True), "id"))
    if wanted - found:
        raise invalid_field("user_ids", f"has unknown or inactive users {sorted(wanted - found)}")
    async with atomic():
        customer = await Customer.select_for_update().get(id=customer_id)
        before = set(await column(CustomerShare.filter(customer_id=customer_id), "user_id"))
        if before == wanted:
            return customer
        seen_by = await customer_viewers(customer)
        await CustomerShare.filter(customer_id=customer_id, user_id__in=sorted(before - wanted)).delete()
        for user_id in sorted(wanted - before):
            await CustomerShare.create(customer_id=customer_id, user_id=user_id)
        customer.version += 1
        await customer.save()
        await record_sight_changes(customer, seen_by, await customer_viewers(customer))
        await CustomerHistory.create(
            customer_id=customer_id, action="shared", actor_id=viewer.id, from_owner_id=customer.owner_id,
            to_owner_id=customer.owner_id, details={"added": sorted(wanted - before), "removed": sorted(before - wanted)},
        )
        if wanted - before:
            await notify(sorted(wanted - before), "system", Text("customer.shared", customer=customer.name),
                         link_type="customer", link_id=customer_id)
    return customer
