"""Feed fixtures: customers to write about."""

from __future__ import annotations

from typing import Any

import pytest


async def make_customer(owner: Any | None, name: str, *, in_pool: bool = False, shared_with: list[Any] = ()) -> Any:
    from server.models.customers import Customer, CustomerShare

    customer = await Customer.create(name=name, owner_id=owner.id if owner else None, in_pool=in_pool)
    for user in shared_with:
        await CustomerShare.create(customer_id=customer.id, user_id=user.id)
    return customer


@pytest.fixture
def customer_factory() -> Any:
    return make_customer


async def post(org: Any, who: str, body: str, **extra: Any) -> dict[str, Any]:
    """Post through the API and return the item (failing loudly when refused)."""
    response = await org.post(who, "/api/v1/posts", {"body": body, **extra})
    assert response.status_code == 201, response.text
    return response.json()
