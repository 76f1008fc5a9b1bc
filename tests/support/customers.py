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


async def sync(org: Any, who: str, kind: str, since: str, page: int, **params: Any) -> dict[int, dict[str, Any]]:
    """Page through `GET /api/v1/<kind>?updated_since=` `page` at a time; the last word on each id wins."""
    seen: dict[int, dict[str, Any]] = {}
    cursor = None
    for _ in range(100):
        query = {"updated_since": since, "limit": page, **params} | ({"cursor": cursor} if cursor else {})
        response = await org.get(who, f"/api/v1/{kind}", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        seen.update({item["id"]: item for item in body["items"]})
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the sync never ended")


def gone(item: dict[str, Any] | None) -> bool:
    """A tombstone."""
    return item == {"id": item["id"], "deleted": True} if item else False


def live(item: dict[str, Any] | None) -> bool:
    """The record itself."""
    return bool(item) and "name" in item
