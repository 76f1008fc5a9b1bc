"""Shared fixtures: a clean database per test on every backend, the app run
through its real lifespan, an organisation of people, and helpers to read the
events an action caused.

Every test that asks for `settings` (directly or through `app`/`client`/`org`)
runs on SQLite, and again on PostgreSQL + Redis when
FIELDLINE_TEST_POSTGRES_URL / FIELDLINE_TEST_REDIS_URL are set. Each pytest
process (each pytest-xdist worker of `make test`) creates its own PostgreSQL
database and Redis key prefix and drops them at the end.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

# Every event payload emitted while the suite runs is checked against its type
# in server.events (here and in live server processes, through test_env).
os.environ["FIELDLINE_CHECK_EVENTS"] = "1"

from tests.support.databases import (
    RUN_ID,
    create_postgres_database,
    drop_postgres_database,
    prepare_schema,
    reset_postgres,
)

POSTGRES_URL = os.environ.get("FIELDLINE_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("FIELDLINE_TEST_REDIS_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    if not POSTGRES_URL:
        yield None
        return
    url = asyncio.run(create_postgres_database(POSTGRES_URL, f"fieldline_test_{RUN_ID}"))
    asyncio.run(prepare_schema(url))
    yield url
    asyncio.run(drop_postgres_database(POSTGRES_URL, f"fieldline_test_{RUN_ID}"))


@pytest.fixture(scope="session")
def redis_prefix() -> Iterator[str]:
    prefix = f"fieldline_test_{RUN_ID}"
    yield prefix
    if REDIS_URL:
        from tests.support.databases import drop_redis_prefix

        asyncio.run(drop_redis_prefix(REDIS_URL, prefix))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty SQLite database with every table, made once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "fieldline.db"
    asyncio.run(prepare_schema(f"sqlite://{path}"))
    assert not path.with_name(path.name + "-wal").exists(), "the template must be one closed file"
    return str(path)


@pytest.fixture
def database_url(backend: str, tmp_path: Any, postgres_database: str | None, sqlite_template: str) -> str:
    if backend == "postgres":
        assert postgres_database
        asyncio.run(reset_postgres(postgres_database))
        return postgres_database
    path = tmp_path / "fieldline.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite://{path}"


@pytest.fixture
def test_env(database_url: str, backend: str, tmp_path: Any, redis_prefix: str) -> dict[str, str]:
    """The environment the test's server runs with (also for live server processes)."""
    env = {
        "DATABASE_URL": database_url,
        "FIELDLINE_OUTBOX_DIR": str(tmp_path / "outbox"),
        "FIELDLINE_UPLOAD_DIR": str(tmp_path / "uploads"),
        "FIELDLINE_SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        "FIELDLINE_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "FIELDLINE_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE": "10000",
        "FIELDLINE_OCR_WORKERS": "1",
        "FIELDLINE_CHECK_EVENTS": "1",
        # The quota alert goes out from its time of day to midnight on each person's clock
        # (at the default 17:00 in Shanghai: from 09:00 to 16:00 UTC), to every rep of a
        # fresh org below the default targets: one extra notification in any test whose
        # scheduler ticks then. The last minute of the day keeps that window to one minute;
        # tests/visits/test_quotas.py runs the alerts at the times it names.
        "FIELDLINE_QUOTA_ALERT_AT": "23:59",
        # Likewise the daily report reminder (18:00 in Shanghai: from 10:00 UTC on).
        "FIELDLINE_DAILY_REPORT_DEADLINE": "23:59",
    }
    if backend == "postgres" and REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
        env["FIELDLINE_REDIS_PREFIX"] = f"{redis_prefix}_{uuid.uuid4().hex[:8]}"
    return env


@pytest.fixture
def settings(test_env: dict[str, str]) -> Any:
    from server.settings import load_settings

    return load_settings(test_env)


@pytest.fixture
async def app(settings: Any) -> AsyncIterator[Any]:
    from fieldline.app import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fieldline.test") as c:
        yield c


_HASH: list[str] = []


def password_hash() -> str:
    """Argon2 is slow on purpose; hash the shared test password once."""
    if not _HASH:
        from server.security import hash_password_sync

        _HASH.append(hash_password_sync(PASSWORD))
    return _HASH[0]


@dataclass
class Org:
    """An organisation: HQ ⊃ East ⊃ East-Shanghai, HQ ⊃ West.

    admin; manager_east manages East (so East-Shanghai too); manager_west
    manages West; rep_east1 and rep_east2 in East, rep_sh in East-Shanghai,
    rep_west in West.
    """

    client: httpx.AsyncClient
    departments: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def request(self, who: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if who is not None:
            headers.update(self.headers(who))
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def get(self, who: str | None, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request(who, "GET", path, **kwargs)

    async def post(self, who: str | None, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request(who, "POST", path, json=json, **kwargs)

    async def patch(self, who: str | None, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request(who, "PATCH", path, json=json, **kwargs)

    async def put(self, who: str | None, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request(who, "PUT", path, json=json, **kwargs)

    async def delete(self, who: str | None, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request(who, "DELETE", path, **kwargs)

    async def add_user(self, key: str, role: str, department: str | None, **extra: Any) -> Any:
        """Create one more person (straight through the action) and sign them in."""
        from server.actions.auth import _open_session
        from server.actions.users import create_user
        from server.transaction import atomic

        data = {"login": key, "name": extra.pop("name", key.replace("_", " ").title()), "role": role,
                "department_id": self.departments[department].id if department else None,
                "managed_department_ids": [self.departments[d].id for d in extra.pop("manages", [])],
                **extra}
        user = await create_user(None, data, password_hash=password_hash())
        async with atomic():
            tokens = await _open_session(user)
        self.users[key] = user
        self.tokens[key] = tokens["access_token"]
        return user


@pytest.fixture
async def org(app: Any, client: httpx.AsyncClient) -> Org:
    from server.actions.users import create_department

    result = Org(client)
    hq = await create_department(None, "Head Office", None)
    east = await create_department(None, "East", hq.id)
    west = await create_department(None, "West", hq.id)
    east_sh = await create_department(None, "East Shanghai", east.id)
    result.departments = {"hq": hq, "east": east, "west": west, "east_sh": east_sh}
    await result.add_user("admin", "admin", "hq", name="Ada Admin")
    await result.add_user("manager_east", "manager", "east", manages=["east"], name="王经理")
    await result.add_user("manager_west", "manager", "west", manages=["west"], name="Wendy West")
    await result.add_user("rep_east1", "rep", "east", name="张伟")
    await result.add_user("rep_east2", "rep", "east", name="李娜")
    await result.add_user("rep_sh", "rep", "east_sh", name="王芳")
    await result.add_user("rep_west", "rep", "west", name="Will West")
    return result


@pytest.fixture
async def live(org: Org, test_env: dict[str, str]) -> AsyncIterator[Any]:
    """A server process (uvicorn) on the test's database, with the `org` fixture's people."""
    from tests.support.live import LiveServer

    server = LiveServer(test_env)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def events_for(user_id: int, after_seq: int = 0) -> list[dict[str, Any]]:
    """The durable events in a user's log, as the socket would send them."""
    from server.models.events import EventLogEntry

    rows = await (
        EventLogEntry.filter(user_id=user_id, seq__gt=after_seq)
        .order_by("seq")
        .values_list("seq", "event__type", "event__data")
    )
    return [{"seq": seq, "type": type_, "data": orjson.loads(data)} for seq, type_, data in rows]


@pytest.fixture
def event_log() -> Any:
    """`await event_log(user_id)` → that user's durable events in seq order."""
    return events_for
