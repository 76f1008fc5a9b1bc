"""Creating and changing customers: 撞单 checks on create and on edit, the
owner history, delete. Pool moves (release, claim, transfer, share) live in
`server.actions.pool`; contacts in `server.actions.contacts`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from tortoise import connections
from tortoise.expressions import Q

from server.access import Viewer
from server.actions.contacts import create_contact
from server.actions.customer_cap import check_room
from server.actions.versioning import check_version, soft_delete
from server.db import dialect
from server.errors import AppError, ErrorCode, forbidden, invalid, invalid_field
from server.models.customers import Customer, CustomerHistory, CustomerTag
from server.models.identity import User
from server.queries.customers import access_customer, duplicate_keys, find_duplicates, manages_customer
from server.settings import get_settings
from server.transaction import atomic

__all__ = ["create_contact", "create_customer", "delete_customer", "update_customer"]

EDITABLE = ("name", "phone", "fax", "address", "lat", "lng", "industry", "source", "level", "tags",
            "province", "city", "email", "website", "description")
MATCHED = ("name", "phone", "fax")


def duplicate_error(duplicates: list[dict[str, Any]]) -> AppError:
    names = ", ".join(d["name"] for d in duplicates[:3])
    return AppError(
        ErrorCode.DUPLICATE,
        f"This customer already exists: {names}. Ask its owner, or claim it from the public pool.",
        {"duplicates": duplicates},
    )


def _lock_id(kind: str, key: str) -> int:
    """A signed 64-bit advisory-lock id for one 撞单 key (collisions only serialise more)."""
    digest = hashlib.blake2b(f"fieldline.customer.{kind}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_duplicate_keys(name: str | None, phone: str | None, fax: str | None) -> None:
    """Serialise creates and edits that could make the same company twice.

    Call inside `atomic()`, before `find_duplicates`: whoever locks a key second
    waits until the first commits, and then its check sees the first's row.
    PostgreSQL: a transaction-scoped advisory lock per name and number key, taken
    in id order so two transactions never wait on each other crosswise. SQLite
    needs nothing: every `atomic()` begins IMMEDIATE (the database's write lock,
    across processes) and Tortoise runs one SQLite transaction at a time per process.
    """
    await lock_many_duplicate_keys([duplicate_keys(name, phone, fax)])


async def lock_many_duplicate_keys(keys: Iterable[tuple[str, set[str]]]) -> None:
    """`lock_duplicate_keys` for many companies at once, given their (name key,
    number keys) from `duplicate_keys`: one statement taking every lock in
    ascending id order (the order every create takes its own), so a batch and
    creates never wait on each other crosswise. Each lock is a slot in
    PostgreSQL's shared lock table until commit: keep batches to a few thousand keys."""
    if dialect() != "postgres":
        return
    ids: set[int] = set()
    for name_key, numbers in keys:
        if name_key:
            ids.add(_lock_id("name", name_key))
        ids.update(_lock_id("phone", number) for number in numbers)
    if not ids:
        return
    await connections.get("default").execute_query(
        "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest($1::bigint[]) AS k ORDER BY k) AS keys",
        [sorted(ids)],
    )


def store_keys(customer: Customer) -> None:
    """Keep the 撞单 lookup columns in step with the name and numbers."""
    name_key, _ = duplicate_keys(customer.name, None, None)
    _, phones = duplicate_keys(None, customer.phone, None)
    _, faxes = duplicate_keys(None, None, customer.fax)
    customer.name_key = name_key[:200]
    customer.phone_key = next(iter(phones), None)
    customer.fax_key = next(iter(faxes), None)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in EDITABLE if k in data}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            raise invalid_field("name", "must not be empty")
        values["name"] = name
    if "tags" in values:
        values["tags"] = sorted({t.strip()[:50] for t in values["tags"] or [] if t and t.strip()})
    return values


def check_entry_form(values: dict[str, Any]) -> None:
    """With `require_province_city` on, a new customer names its 省份 and 城市 (the
    慧聪 entry form); off by default so that clients written before stay valid."""
    if not get_settings().require_province_city:
        return
    missing = {f: "is required" for f in ("province", "city") if not (values.get(f) or "").strip()}
    if missing:
        raise invalid(missing, "A new customer needs its province and city.")


def check_location(customer: Customer) -> None:
    if (customer.lat is None) != (customer.lng is None):
        raise invalid_field("lng" if customer.lng is None else "lat", "must be given with the other coordinate")


async def check_owner(viewer: Viewer, owner_id: int) -> None:
    """A new owner must be an active colleague the viewer may hand customers to."""
    if not await User.exists(id=owner_id, active=True):
        raise invalid_field("owner_id", "is not an active colleague")
    if owner_id != viewer.id and not viewer.manages_user(owner_id):
        raise forbidden("You may only give customers to people in your team.")


async def create_customer(viewer: Viewer, data: dict[str, Any]) -> Customer:
    """Create a customer owned by the caller (or by `owner_id` in their team).

    Raises 409 `duplicate` with `details.duplicates` when any customer in the
    system, visible or not, is the same company (docs/duplicates.md). There is
    no override: the rep asks the owner, or claims it from the pool. 409
    `limit_reached` when the owner is at their cap (`server.actions.customer_cap`).
    """
    values = _clean(data)
    if "name" not in values:
        raise invalid_field("name", "is required")
    check_entry_form(values)
    owner_id = data.get("owner_id") or viewer.id
    await check_owner(viewer, owner_id)
    async with atomic():
        await lock_duplicate_keys(values["name"], values.get("phone"), values.get("fax"))
        duplicates = await find_duplicates(values["name"], values.get("phone"), values.get("fax"), viewer)
        if duplicates:
            raise duplicate_error(duplicates)
        await check_room(owner_id, viewer.id)
        customer = Customer(**values, owner_id=owner_id, created_by_id=viewer.id)
        check_location(customer)
        store_keys(customer)
        await customer.save()
        await set_tags(customer.id, customer.tags, [])
        await CustomerHistory.create(
            customer_id=customer.id, action="created", actor_id=viewer.id, to_owner_id=owner_id
        )
    return customer


async def note_contact(customer_id: int, at: dt.datetime) -> None:
    """Keep `last_contact_at` at the latest follow-up note or check-in (an offline
    one sent late never moves it back). Not a change of the record: no new version."""
    later = Q(last_contact_at=None) | Q(last_contact_at__lt=at)
    await Customer.filter(later, id=customer_id).update(last_contact_at=at)


async def set_tags(customer_id: int, tags: list[str], before: list[str]) -> None:
    """Mirror the tags into `customer_tags`, which `?tag=` searches."""
    removed, added = set(before) - set(tags), set(tags) - set(before)
    if removed:
        await CustomerTag.filter(customer_id=customer_id, tag__in=sorted(removed)).delete()
    if added:
        await CustomerTag.bulk_create([CustomerTag(customer_id=customer_id, tag=t) for t in sorted(added)])


async def update_customer(
    viewer: Viewer, customer_id: int, data: dict[str, Any], expected_version: int | None = None
) -> Customer:
    """Change fields (owner, pool and shares have their own actions); 409 on a stale version
    and when the new name or numbers make it a duplicate of another customer."""
    customer = await access_customer(viewer, customer_id)
    if not manages_customer(viewer, customer):
        raise forbidden("Only the owner or their manager may change this customer.")
    values = _clean(data)
    async with atomic():
        customer = await Customer.select_for_update().get(id=customer_id)
        check_version(customer, expected_version)
        tags_before = list(customer.tags or [])
        for name, value in values.items():
            setattr(customer, name, value)
        check_location(customer)
        if any(name in values for name in MATCHED):
            await lock_duplicate_keys(customer.name, customer.phone, customer.fax)
            duplicates = await find_duplicates(
                customer.name, customer.phone, customer.fax, viewer, exclude_id=customer.id
            )
            if duplicates:
                raise duplicate_error(duplicates)
        store_keys(customer)
        customer.version += 1
        await customer.save()
        await set_tags(customer.id, customer.tags, tags_before)
    return customer


async def delete_customer(viewer: Viewer, customer_id: int, expected_version: int | None = None) -> None:
    """Soft delete: phones that sync get a tombstone."""
    customer = await access_customer(viewer, customer_id)
    if not manages_customer(viewer, customer):
        raise forbidden("Only the owner or their manager may delete this customer.")
    async with atomic():
        customer = await Customer.select_for_update().get(id=customer_id)
        await soft_delete(customer, expected_version)
        await CustomerHistory.create(
            customer_id=customer.id, action="deleted", actor_id=viewer.id, from_owner_id=customer.owner_id
        )
