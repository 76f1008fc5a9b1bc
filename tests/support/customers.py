"""Helpers for customer tests: create records through the API as a given person."""

from __future__ import annotations

from typing import Any


async def make_customer(org: Any, who: str, name: str, **fields: Any) -> dict[str, Any]:
    response = await org.post(who, "/api/v1/customers", {"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def make_pool_customer(org: Any, name: str, owner: str = "rep_west") -> dict[str, Any]:
    customer = await make_customer(org, owner, name)
    response = await org.post(owner, f"/api/v1/customers/{customer['id']}/release", {"reason": "not interested"})
    assert response.status_code == 200, response.text
    return response.json()


async def ids(org: Any, who: str, path: str) -> list[int]:
    response = await org.get(who, path)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
