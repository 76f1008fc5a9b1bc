"""Signed-in callers are remembered for a few seconds per process
(server.session_cache), yet a revoked session or a changed person is seen at
once in the process that made the change and, through the revoke control
message, in every other process."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from server import session_cache
from server.access import Viewer
from server.clock import utcnow
from server.models.identity import Session, User
from tests.conftest import PASSWORD
from tests.support.live import live_servers, live_client

LONG_TTL_S = 60.0  # far longer than any wait below: only the control message can explain a refusal
PROPAGATION_S = 10.0


@pytest.fixture
def long_ttl(app):
    session_cache.use_ttl(LONG_TTL_S)  # the app's own cache: gone with the app


async def _me(org, token: str) -> httpx.Response:
    return await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


async def _login(client: httpx.AsyncClient, login: str) -> str:
    response = await client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_and_a_lookup_older_than_a_revocation_is_not_stored():
    clock = FakeClock()
    cache = session_cache.SessionCache(5.0, clock)
    viewer = Viewer(User(id=7, login="x", name="x"))
    cache.put(1, viewer, cache.generation)
    assert cache.get(1, 7) is not None and cache.get(1, 7) is not viewer  # each request its own copy
    assert cache.get(1, 8) is None  # a token naming another person never matches
    cache.put(1, viewer, cache.generation)
    clock.now += 5.0
    assert cache.get(1, 7) is None
    started = cache.generation
    cache.forget([2])  # a revocation lands while a lookup is reading the database
    cache.put(1, viewer, started)
    assert cache.get(1, 7) is None
    cache.put(1, viewer, cache.generation)
    cache.forget(None)
    assert len(cache) == 0
    off = session_cache.SessionCache(0, clock)
    off.put(1, viewer, off.generation)
    assert off.get(1, 7) is None


async def test_a_remembered_session_is_not_asked_again_until_it_expires(org, long_ttl):
    token = await _login(org.client, "rep_east1")
    assert (await _me(org, token)).status_code == 200
    # Written behind the server's back: no revoke message, so the remembered caller stands.
    await Session.filter(user_id=org.rep_east1.id).update(revoked_at=utcnow())
    assert (await _me(org, token)).status_code == 200
    session_cache.use_ttl(0)
    assert (await _me(org, token)).status_code == 401


async def test_logout_reset_and_deactivation_are_refused_at_once_while_remembered(org, long_ttl):
    first = await _login(org.client, "rep_sh")
    assert (await _me(org, first)).status_code == 200
    assert (await org.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {first}"})).status_code == 204
    assert (await _me(org, first)).status_code == 401

    second = await _login(org.client, "rep_sh")
    assert (await _me(org, second)).status_code == 200
    reset = await org.post("admin", f"/api/v1/users/{org.rep_sh.id}/reset-password", {"password": "another-pass-1"})
    assert reset.status_code == 200, reset.text
    assert (await _me(org, second)).status_code == 401

    assert (await org.get("rep_west", "/api/v1/me")).status_code == 200
    off = await org.patch("admin", f"/api/v1/users/{org.rep_west.id}", {"active": False})
    assert off.status_code == 200, off.text
    assert (await org.get("rep_west", "/api/v1/me")).status_code == 401


async def test_a_role_change_is_seen_at_once(org, long_ttl):
    before = await org.get("rep_east2", "/api/v1/me")
    assert before.json()["role"] == "rep"
    east = org.departments["east"].id
    changed = await org.patch("admin", f"/api/v1/users/{org.rep_east2.id}",
                              {"role": "manager", "managed_department_ids": [east]})
    assert changed.status_code == 200, changed.text
    after = (await org.get("rep_east2", "/api/v1/me")).json()
    assert after["role"] == "manager" and after["managed_department_ids"] == [east]
    follows = (await org.get("rep_east2", "/api/v1/follows")).json()["items"]
    assert org.rep_sh.id in {f["target_id"] for f in follows if f["automatic"]}  # a manager's team, recursively


async def test_a_manager_sees_a_new_colleague_in_their_department_at_once(org, long_ttl):
    def team(response: httpx.Response) -> set[int]:
        return {f["target_id"] for f in response.json()["items"] if f["automatic"]}

    before = team(await org.get("manager_west", "/api/v1/follows"))
    created = await org.post("admin", "/api/v1/users", {
        "login": "rep_west2", "name": "New West", "role": "rep", "password": "a-long-password",
        "department_id": org.departments["west"].id})
    assert created.status_code == 201, created.text
    after = team(await org.get("manager_west", "/api/v1/follows"))
    assert after == before | {created.json()["id"]}


@pytest.fixture
async def two_servers(org, test_env, backend):
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL and Redis")
    async with live_servers({**test_env, "FIELDLINE_SESSION_CACHE_S": str(LONG_TTL_S)}) as servers:
        yield servers


async def _until(check, seconds: float = PROPAGATION_S) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_revocation_in_one_process_is_refused_in_another(org, two_servers):
    a, b = two_servers
    async with live_client(base_url=a.url, timeout=30) as on_a, \
            live_client(base_url=b.url, timeout=30) as on_b:
        token = await _login(on_a, "rep_east1")
        auth = {"Authorization": f"Bearer {token}"}
        assert (await on_b.get("/api/v1/me", headers=auth)).status_code == 200  # b remembers the caller
        assert (await on_a.post("/api/v1/auth/logout", headers=auth)).status_code == 204

        async def refused() -> bool:
            return (await on_b.get("/api/v1/me", headers=auth)).status_code == 401

        assert await _until(refused), f"still served {PROPAGATION_S} s after logout (remembered for {LONG_TTL_S} s)"


async def test_a_role_change_in_one_process_is_seen_in_another(org, two_servers):
    a, b = two_servers
    async with live_client(base_url=a.url, timeout=30) as on_a, \
            live_client(base_url=b.url, timeout=30) as on_b:
        rep = {"Authorization": f"Bearer {await _login(on_b, 'rep_west')}"}
        assert (await on_b.get("/api/v1/me", headers=rep)).json()["role"] == "rep"
        admin = {"Authorization": f"Bearer {await _login(on_a, 'admin')}"}
        changed = await on_a.patch(f"/api/v1/users/{org.rep_west.id}", headers=admin,
                                   json={"role": "manager", "managed_department_ids": [org.departments["west"].id]})
        assert changed.status_code == 200, changed.text

        async def seen() -> bool:
            return (await on_b.get("/api/v1/me", headers=rep)).json()["role"] == "manager"

        assert await _until(seen), f"the old role still shown {PROPAGATION_S} s later (remembered for {LONG_TTL_S} s)"
