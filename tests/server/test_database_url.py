"""How a PostgreSQL `DATABASE_URL` becomes asyncpg's settings (TLS and the pool's reset)."""

from __future__ import annotations

import pytest

from server.db import tortoise_config


def _credentials(url: str) -> dict:
    return tortoise_config(url)["connections"]["default"]["credentials"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_server_on_this_machine_is_reached_without_tls(host):
    assert _credentials(f"postgres://app:pw@{host}:5432/fieldline")["ssl"] is False


def test_another_host_keeps_asyncpgs_default_and_the_url_can_ask_for_tls():
    assert "ssl" not in _credentials("postgres://app:pw@db.internal:5432/fieldline")
    assert _credentials("postgres://app:pw@db.internal/fieldline?sslmode=verify-full")["ssl"] == "verify-full"
    assert _credentials("postgres://app:pw@127.0.0.1/fieldline?sslmode=require")["ssl"] == "require"


def test_the_rest_of_the_url_still_counts():
    credentials = _credentials("postgres://app:secret@db.internal:6543/crm?sslmode=disable")
    assert (credentials["host"], credentials["port"], credentials["user"], credentials["password"],
            credentials["database"]) == ("db.internal", 6543, "app", "secret", "crm")
    assert callable(credentials["reset"])  # released connections skip asyncpg's RESET ALL round trip
