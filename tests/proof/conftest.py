"""Fixtures for the proof tests: a live server on the test's database and
callers whose sessions the fuzzer cannot reach by guessing small ids."""

from __future__ import annotations

import os
from typing import Any

import pytest


# Fuzzed callers get ids far above anything the org fixture creates, so a
# generated `/users/{id}/reset-password` or `PATCH /users/{id}` practically
# never lands on the very sessions the fuzzer is using.
FUZZ_ID_FLOOR = 900_000


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    """Mail goes out to anyone away for a moment, so a leak by email shows up in a test."""
    return {**test_env, "FIELDLINE_EMAIL_AFTER_MINUTES": "0.001", "FIELDLINE_EMAIL_DIGEST_MINUTES": "0.001"}


@pytest.fixture
def sqlite_only(backend: str) -> None:
    """For the long runs that prove nothing more on a second backend (ask for it
    first). `FIELDLINE_PROOF_ALL_BACKENDS=1` runs them on every backend (by hand)."""
    if backend != "sqlite" and not os.environ.get("FIELDLINE_PROOF_ALL_BACKENDS"):
        pytest.skip("runs once, on SQLite, to keep CI short")


async def add_far_users(org: Any) -> dict[str, str]:
    """An admin, a manager and a rep with ids above FUZZ_ID_FLOOR; role → login key."""
    from tortoise import connections

    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query(f"SELECT setval(pg_get_serial_sequence('users', 'id'), {FUZZ_ID_FLOOR})")
    else:
        await connection.execute_query(f"UPDATE sqlite_sequence SET seq = {FUZZ_ID_FLOOR} WHERE name = 'users'")
    await org.add_user("fuzz_admin", "admin", "hq", name="Fay Fuzz")
    await org.add_user("fuzz_manager", "manager", "east", manages=["east"], name="Finn Fuzz")
    await org.add_user("fuzz_rep", "rep", "east_sh", name="Flo Fuzz")
    assert org.fuzz_rep.id > FUZZ_ID_FLOOR
    return {"admin": "fuzz_admin", "manager": "fuzz_manager", "rep": "fuzz_rep"}
