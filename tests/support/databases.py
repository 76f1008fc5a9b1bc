"""Creating, cleaning and dropping test databases (real ones, never mocks)."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


async def _admin_connection(url: str):  # type: ignore[no-untyped-def]
    import asyncpg

    parts = urlsplit(url)
    return await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or None, database=parts.path.lstrip("/") or "postgres",
    )


async def create_postgres_database(url: str, name: str) -> str:
    connection = await _admin_connection(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return _with_database(url, name)


async def drop_postgres_database(url: str, name: str) -> None:
    connection = await _admin_connection(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def prepare_schema(url: str) -> None:
    """Create every table of the current models (fast; migrations have their own test)."""
    from tortoise import Tortoise

    from server.db import close_database, open_database

    await open_database(url)
    try:
        await Tortoise.generate_schemas(safe=True)
    finally:
        await close_database()


async def reset_postgres(url: str) -> None:
    """Empty every table and restart every id sequence, so each test starts clean.

    The same end state as `TRUNCATE <all> RESTART IDENTITY`, at a fraction of
    its cost (a TRUNCATE of all 50-odd tables takes a second or more, in every
    test): only the tables that hold rows are emptied, with DELETE, the
    foreign-key triggers off for the moment (session_replication_role), and
    every sequence of the schema is set back to 1.
    """
    connection = await _admin_connection(url)
    try:
        tables = [row["tablename"] for row in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )]
        if tables:
            probe = " UNION ALL ".join(
                f"(SELECT {index} AS i FROM \"{name}\" LIMIT 1)" for index, name in enumerate(tables)
            )
            filled = [tables[row["i"]] for row in await connection.fetch(probe)]
            async with connection.transaction():
                await connection.execute("SET LOCAL session_replication_role = replica")
                for name in filled:
                    await connection.execute(f'DELETE FROM "{name}"')
        await connection.execute(
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = 'public'"
        )
    finally:
        await connection.close()


async def drop_redis_prefix(url: str, prefix: str) -> None:
    import redis.asyncio as redis

    client = redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
