"""Who sees which customers, finding duplicates (撞单), and reading customers.

Visibility (API.md): an admin sees every customer; anyone else sees the
customers owned by the people in their scope (themselves, and for a manager
everyone in the departments they manage, recursively), the customers shared
with them, and the public pool. Soft-deleted customers are invisible except
as delta-sync tombstones.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server import dedupe
from server.access import Viewer
from server.errors import not_found
from server.models.customers import Customer, CustomerShare
from server.render.customers import render_customer, render_duplicate
from server.settings import get_settings

M = TypeVar("M", bound=Model)

MAX_DUPLICATES = 50


def visibility_q(viewer: Viewer) -> Q | None:
    """The condition on `customers` rows this viewer may see; None means all."""
    owners = viewer.owner_ids()
    if owners is None:
        return None
    shared = Subquery(CustomerShare.filter(user_id=viewer.id).values("customer_id"))
    return Q(owner_id__in=sorted(owners)) | Q(in_pool=True) | Q(id__in=shared)


def visible_customers(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Customer]:
    """Customers the viewer may see (a queryset to filter further)."""
    qs = Customer.all() if include_deleted else Customer.filter(deleted_at=None)
    condition = visibility_q(viewer)
    return qs if condition is None else qs.filter(condition)


def by_customer_or_owner(viewer: Viewer, model: type[M], *, include_deleted: bool = False) -> QuerySet[M]:
    """Records of a customer the viewer sees, or owned by someone in their scope (opportunities,
    contracts: a customer handed on keeps its old records visible to their owner's manager)."""
    qs = model.all() if include_deleted else model.filter(deleted_at=None)
    owners = viewer.owner_ids()
    if owners is None:
        return qs
    customers = Subquery(visible_customers(viewer).values("id"))
    return qs.filter(Q(customer_id__in=customers) | Q(owner_id__in=sorted(owners)))


async def access_customer(viewer: Viewer, customer_id: int) -> Customer:
    """The customer, or 404 when it does not exist, is deleted or is not visible."""
    customer = await visible_customers(viewer).get_or_none(id=customer_id)
    if customer is None:
        raise not_found("customer")
    return customer


def manages_customer(viewer: Viewer, customer: Customer) -> bool:
    """May change, release, share or delete it: its owner, the owner's managers, admins.

    Pool customers belong to nobody, so only managers and admins change them;
    colleagues it is shared with may look, not change.
    """
    if viewer.is_admin:
        return True
    if customer.owner_id is None:
        return viewer.is_manager and customer.in_pool
    return customer.owner_id == viewer.id or viewer.manages_user(customer.owner_id)


def duplicate_keys(name: str | None, phone: str | None, fax: str | None) -> tuple[str, set[str]]:
    """(name key, number keys) a customer is compared on; see docs/duplicates.md."""
    return dedupe.normalize_company_name(name), dedupe.phone_keys(phone, fax, region=get_settings().phone_region)


def local_numbers(phone: str | None, fax: str | None) -> set[str]:
    """The numbers given without their area code (7 or 8 digits), in the server's region."""
    region = get_settings().phone_region
    return {n for raw in (phone, fax) if (n := dedupe.local_number(raw, region)) is not None}


async def local_matches(locals_: set[str], exclude_id: int | None = None) -> list[tuple[Customer, list[str]]]:
    """Customers whose stored phone or fax has one of these local numbers after
    its area code, within the server's region; with the fields that matched.

    A suffix search (`LIKE '+86%2398577'`) finds the candidates and the area
    code of each decides (0514-2398577 has local number 2398577; 0514-82398577
    does not)."""
    prefix = dedupe.country_prefix(get_settings().phone_region)
    found: dict[int, tuple[Customer, list[str]]] = {}
    for local in sorted(locals_):
        condition = (Q(phone_key__startswith=prefix, phone_key__endswith=local)
                     | Q(fax_key__startswith=prefix, fax_key__endswith=local))
        qs = Customer.filter(condition, deleted_at=None)
        if exclude_id is not None:
            qs = qs.exclude(id=exclude_id)
        for customer in await qs.order_by("id").limit(MAX_DUPLICATES):
            fields = [f for f, key in (("fax", customer.fax_key), ("phone", customer.phone_key))
                      if dedupe.local_part(key) == local]
            if fields:
                previous = found.get(customer.id, (customer, []))[1]
                found[customer.id] = (customer, sorted(set(previous) | set(fields)))
    return list(found.values())


def duplicates_q(name_key: str, numbers: set[str]) -> Q | None:
    conditions = []
    if name_key:
        conditions.append(Q(name_key=name_key))
    if numbers:
        conditions += [Q(phone_key__in=sorted(numbers)), Q(fax_key__in=sorted(numbers))]
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def matched_on(customer: Customer, name_key: str, numbers: set[str]) -> list[str]:
    found = []
    if name_key and customer.name_key == name_key:
        found.append("name")
    if customer.phone_key and customer.phone_key in numbers:
        found.append("phone")
    if customer.fax_key and customer.fax_key in numbers:
        found.append("fax")
    return sorted(found)


async def find_duplicates(
    name: str | None,
    phone: str | None,
    fax: str | None,
    viewer: Viewer | None = None,
    *,
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """Existing customers that are the same company, whoever owns them.

    Looks at every customer that is not deleted, not only those `viewer`
    sees, and reveals only id, name, owner_id and in_pool of each (the same
    shape for all, so the answer never tells visible from invisible). It is
    an indexed lookup on the stored name_key/phone_key/fax_key columns; a
    phone or fax given without its area code is also compared with the local
    part of every stored number (`local_matches`).
    """
    name_key, numbers = duplicate_keys(name, phone, fax)
    matches: dict[int, tuple[Customer, list[str]]] = {}
    if (condition := duplicates_q(name_key, numbers)) is not None:
        qs = Customer.filter(condition, deleted_at=None)
        if exclude_id is not None:
            qs = qs.exclude(id=exclude_id)
        for c in await qs.order_by("id").limit(MAX_DUPLICATES):
            matches[c.id] = (c, matched_on(c, name_key, numbers))
    for c, fields in await local_matches(local_numbers(phone, fax), exclude_id):
        matches[c.id] = (c, sorted(set(matches.get(c.id, (c, []))[1]) | set(fields)))
    ordered = [matches[i] for i in sorted(matches)][:MAX_DUPLICATES]
    return [render_duplicate(c, fields) for c, fields in ordered]


async def shared_with_map(customer_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    if not customer_ids:
        return result
    rows = await CustomerShare.filter(customer_id__in=customer_ids).values_list("customer_id", "user_id")
    for customer_id, user_id in rows:
        result.setdefault(customer_id, []).append(user_id)
    return result


async def render_customers(customers: list[Customer]) -> list[dict[str, Any]]:
    shares = await shared_with_map([c.id for c in customers])
    return [render_customer(c, shares.get(c.id)) for c in customers]


async def customer_answer(customer: Customer) -> dict[str, Any]:
    return (await render_customers([customer]))[0]
