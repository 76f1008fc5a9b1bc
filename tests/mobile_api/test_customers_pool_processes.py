"""Claims stay under the cap when two server processes serve them at the same moment
(on PostgreSQL row locks; SQLite has none: the claim takes the write lock before it counts)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.customers import make_customer, make_pool_customer
from tests.support.live import LiveServer, live_client

REPS = ("rep_sh", "rep_east1", "rep_east2")
ROUNDS = 3
PER_REP = 4


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    return {**test_env, "FIELDLINE_MAX_CUSTOMERS_PER_REP": "1"}


async def _round(org, servers: list[LiveServer], client: httpx.AsyncClient, number: int) -> list[httpx.Response]:
    pooled = {who: [await make_pool_customer(org, f"进程{number}{who}{n}号贸易", owner="admin") for n in range(PER_REP)]
              for who in REPS}
    return await asyncio.gather(*(
        client.post(f"{servers[n % 2].url}/api/v1/customers/{customer['id']}/claim", headers=org.headers(who))
        for who in REPS for n, customer in enumerate(pooled[who])
    ))


async def test_one_slot_is_claimed_once_across_processes(org, test_env) -> None:
    await make_customer(org, "rep_west", "占位贸易")
    servers = [LiveServer(test_env), LiveServer(test_env)]
    await asyncio.gather(*(server.start() for server in servers))
    try:
        async with live_client(timeout=60) as client:
            for number in range(ROUNDS):
                answers = await _round(org, servers, client, number)
                statuses = sorted(a.status_code for a in answers)
                assert statuses == [200] * len(REPS) + [409] * (len(answers) - len(REPS)), \
                    [a.text[:200] for a in answers if a.status_code != 409]
                for who in REPS:
                    owned = (await org.get(who, "/api/v1/customers?scope=mine")).json()["items"]
                    assert len(owned) == 1, who
                    await org.post(who, f"/api/v1/customers/{owned[0]['id']}/release", {"reason": "next round"})
    finally:
        await asyncio.gather(*(server.stop() for server in servers))
