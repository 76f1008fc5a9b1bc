"""Global owner lookup (全局查询, 销售易 "CRM全局模糊查询"): is a colleague already
on this company?

Any signed-in user may ask, across every owner; the answer says only what the
rules let anyone see — the company name, its owner's name and department,
and whether it is in the pool. Never contacts, notes, numbers or anything
else of records the caller cannot see (API.md, Additions: duplicates and lookup).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from server.models.customers import Customer
from server.models.identity import Department, User
from server.queries.customers import duplicate_keys, local_matches, local_numbers

LOOKUP_MAX = 50


def _name_condition(q: str) -> Q | None:
    """Every word of `q` in the name, or the same 撞单 name key."""
    words = q.split()
    condition = None
    for word in words:
        part = Q(name__icontains=word)
        condition = part if condition is None else condition & part
    name_key, _ = duplicate_keys(q, None, None)
    if name_key:
        condition = Q(name_key=name_key) if condition is None else condition | Q(name_key=name_key)
    return condition


async def _matching(q: str) -> list[Customer]:
    _, numbers = duplicate_keys(None, q, None)
    conditions = [c for c in (
        _name_condition(q),
        Q(phone_key__in=sorted(numbers)) | Q(fax_key__in=sorted(numbers)) if numbers else None,
    ) if c is not None]
    found: dict[int, Customer] = {}
    for condition in conditions:
        for customer in await Customer.filter(condition, deleted_at=None).order_by("id").limit(LOOKUP_MAX):
            found[customer.id] = customer
    for customer, _ in await local_matches(local_numbers(q, None)):
        found[customer.id] = customer
    return [found[i] for i in sorted(found)][:LOOKUP_MAX]


async def lookup_customers(q: str) -> dict[str, Any]:
    """Customers of any owner whose name has the words of `q` (or the same name
    key), or whose phone or fax is the number `q` (also without its area code)."""
    customers = await _matching(q.strip())
    owner_ids = sorted({c.owner_id for c in customers if c.owner_id is not None})
    owners = {u.id: u for u in await User.filter(id__in=owner_ids)} if owner_ids else {}
    department_ids = sorted({u.department_id for u in owners.values() if u.department_id is not None})
    departments = dict(await Department.filter(id__in=department_ids).values_list("id", "name")) if department_ids else {}
    return {"items": [_render(c, owners, departments) for c in customers]}


def _render(customer: Customer, owners: dict[int, User], departments: dict[int, str]) -> dict[str, Any]:
    owner = owners.get(customer.owner_id) if customer.owner_id is not None else None
    department = None if owner is None or owner.department_id is None else departments.get(owner.department_id)
    return {
        "id": customer.id,
        "name": customer.name,
        "owner": None if owner is None else {
            "id": owner.id, "name": owner.name, "department": department,
        },
        "in_pool": customer.in_pool,
    }

