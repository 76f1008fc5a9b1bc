"""Who may do what to a customer, its contacts and opportunities, on every route.

The customer belongs to rep_sh (East Shanghai) and is shared with rep_west.
manager_east manages the owner; manager_west manages another department;
rep_east1 is another rep. Invisible is 404; visible but not allowed is 403.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.support.customers import make_customer, make_pool_customer

NUMBERS = itertools.count(1)
ACTORS = ("admin", "manager_east", "manager_west", "rep_sh", "rep_east1", "rep_west", None)

# route → expected status per actor, in ACTORS order (rep_west: shared with; None: anonymous)
CUSTOMER_ROUTES: dict[str, tuple[str, str, Any, tuple[int, ...]]] = {
    "get": ("GET", "", None, (200, 200, 404, 200, 404, 200, 401)),
    "patch": ("PATCH", "", {"level": "A"}, (200, 200, 404, 200, 404, 403, 401)),
    "delete": ("DELETE", "", None, (204, 204, 404, 204, 404, 403, 401)),
    "history": ("GET", "/history", None, (200, 200, 404, 200, 404, 200, 401)),
    "release": ("POST", "/release", {"reason": "不再跟进"}, (200, 200, 404, 200, 404, 403, 401)),
    "claim": ("POST", "/claim", None, (409, 409, 404, 200, 404, 409, 401)),
    "transfer": ("POST", "/transfer", {"owner_id": "rep_east2"}, (200, 200, 404, 403, 404, 403, 401)),
    "share": ("POST", "/share", {"user_ids": ["rep_east2"]}, (200, 200, 404, 200, 404, 403, 401)),
}
CONTACT_ROUTES = {
    "get": ("GET", "", None, (200, 200, 404, 200, 404, 200, 401)),
    "vcf": ("GET", ".vcf", None, (200, 200, 404, 200, 404, 200, 401)),
    "patch": ("PATCH", "", {"title": "经理"}, (200, 200, 404, 200, 404, 403, 401)),
    "delete": ("DELETE", "", None, (204, 204, 404, 204, 404, 403, 401)),
}
OPPORTUNITY_ROUTES = {
    "get": ("GET", "", None, (200, 200, 404, 200, 404, 200, 401)),
    "patch": ("PATCH", "", {"stage": "proposal"}, (200, 200, 404, 200, 404, 403, 401)),
    "delete": ("DELETE", "", None, (204, 204, 404, 204, 404, 403, 401)),
}
COLLECTIONS = [
    ("GET", "/api/v1/customers"), ("POST", "/api/v1/customers"), ("GET", "/api/v1/customers/duplicates"),
    ("GET", "/api/v1/customers/export.csv"), ("POST", "/api/v1/customers/import"),
    ("GET", "/api/v1/contacts"), ("POST", "/api/v1/contacts"),
    ("GET", "/api/v1/opportunities"), ("POST", "/api/v1/opportunities"),
]


def _body(org: Any, body: Any) -> Any:
    """Put user ids in place of the login names the tables use."""
    if isinstance(body, dict):
        return {k: _body(org, v) for k, v in body.items()}
    if isinstance(body, list):
        return [_body(org, v) for v in body]
    return getattr(org, body).id if isinstance(body, str) and body.startswith("rep_") else body


async def _shared_customer(org: Any) -> dict[str, Any]:
    customer = await make_customer(org, "rep_sh", f"申城建材{next(NUMBERS)}号")
    await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/share", {"user_ids": [org.rep_west.id]})
    return customer


async def _check(org: Any, routes: dict, make: Callable[[], Awaitable[str]]) -> list[str]:
    wrong = []
    for name, (method, suffix, body, expected) in routes.items():
        for actor, status in zip(ACTORS, expected):
            base = await make()  # a fresh record each time: many of these change it
            kwargs = {"json": _body(org, body)} if body is not None else {}
            response = await org.request(actor, method, base + suffix, **kwargs)
            if response.status_code != status:
                wrong.append(f"{name} as {actor}: {response.status_code} != {status} {response.text[:120]}")
    return wrong


async def test_customer_routes(org) -> None:
    async def make() -> str:
        return f"/api/v1/customers/{(await _shared_customer(org))['id']}"

    assert await _check(org, CUSTOMER_ROUTES, make) == []


async def test_contact_routes_follow_the_customer(org) -> None:
    async def make() -> str:
        customer = await _shared_customer(org)
        contact = await org.post("rep_sh", "/api/v1/contacts", {"customer_id": customer["id"], "name": "陈静"})
        return f"/api/v1/contacts/{contact.json()['id']}"

    assert await _check(org, CONTACT_ROUTES, make) == []


async def test_opportunity_routes(org) -> None:
    async def make() -> str:
        customer = await _shared_customer(org)
        opportunity = await org.post("rep_sh", "/api/v1/opportunities", {"customer_id": customer["id"], "name": "年度框架"})
        return f"/api/v1/opportunities/{opportunity.json()['id']}"

    assert await _check(org, OPPORTUNITY_ROUTES, make) == []


@pytest.mark.parametrize(("method", "path"), COLLECTIONS)
async def test_anonymous_callers_get_401(org, method: str, path: str) -> None:
    response = await org.request(None, method, path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


async def test_pool_customers_are_seen_by_all_and_changed_by_managers(org) -> None:
    async def make() -> str:
        return f"/api/v1/customers/{(await make_pool_customer(org, f'远洋渔业{next(NUMBERS)}号', owner='rep_sh'))['id']}"

    routes = {
        "get": ("GET", "", None, (200, 200, 200, 200, 200, 200, 401)),
        "patch": ("PATCH", "", {"level": "B"}, (200, 200, 200, 403, 403, 403, 401)),
        "claim": ("POST", "/claim", None, (200, 200, 200, 200, 200, 200, 401)),
    }
    assert await _check(org, routes, make) == []
