"""The login rate limit per client address: shared by every process through
Redis when REDIS_URL is set, counted in the process otherwise (and when Redis
cannot be reached)."""

from __future__ import annotations


import pytest

from server.ratelimit import RedisWindowLimiter
from tests.conftest import PASSWORD
from tests.support.live import live_servers, live_client

LIMIT = 3


@pytest.fixture
async def two_servers(org, test_env, backend):
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL and Redis")
    async with live_servers({**test_env, "FIELDLINE_LOGIN_ATTEMPTS_PER_MINUTE": str(LIMIT)}) as servers:
        yield servers


async def test_attempts_in_two_processes_count_against_one_limit(org, two_servers):
    a, b = two_servers
    body = {"login": "rep_east1", "password": "wrong-password"}
    async with live_client(base_url=a.url, timeout=30) as on_a, \
            live_client(base_url=b.url, timeout=30) as on_b:
        codes = [(await client.post("/api/v1/auth/login", json=body)).status_code for client in (on_a, on_b, on_a)]
        assert codes == [401, 401, 401]
        refused = await on_b.post("/api/v1/auth/login", json={"login": "rep_east1", "password": PASSWORD})
        assert refused.status_code == 429, refused.text  # b saw one attempt itself: the count is shared
        assert int(refused.headers["Retry-After"]) >= 1


async def test_keys_live_under_the_configured_prefix(settings, backend):
    if not settings.redis_url:
        pytest.skip("needs Redis")
    import redis.asyncio as redis

    limiter = RedisWindowLimiter(settings.redis_url, settings.redis_prefix, "login", LIMIT, 60.0)
    client = redis.from_url(settings.redis_url)
    try:
        assert [await limiter.attempt("203.0.113.9") for _ in range(LIMIT)] == [0.0] * LIMIT
        assert await limiter.attempt("203.0.113.9") >= 1
        assert await limiter.attempt("203.0.113.10") == 0.0  # another address has its own count
        key = f"{settings.redis_prefix}:ratelimit:login:203.0.113.9"
        assert int(await client.get(key)) == LIMIT + 1
        assert 0 < await client.ttl(key) <= 60
    finally:
        await client.delete(f"{settings.redis_prefix}:ratelimit:login:203.0.113.9",
                            f"{settings.redis_prefix}:ratelimit:login:203.0.113.10")
        await client.aclose()
        await limiter.close()


async def test_an_unreachable_redis_still_limits_in_the_process():
    limiter = RedisWindowLimiter("redis://127.0.0.1:1/0", "fieldline-test", "login", 2, 60.0)
    try:
        waits = [await limiter.attempt("198.51.100.7") for _ in range(3)]
    finally:
        await limiter.close()
    assert waits[:2] == [0.0, 0.0] and waits[2] >= 1
