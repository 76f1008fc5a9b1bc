"""The committed migrations build the schema the models describe, on both databases."""

from __future__ import annotations

import asyncio

from server.migrate import apply_migrations


async def _pending_changes(database_url: str) -> list[str]:
    from tortoise import Tortoise
    from tortoise.migrations.autodetector import MigrationAutodetector

    from server.db import close_database, open_database, tortoise_config

    await open_database(database_url)
    try:
        apps = tortoise_config(database_url)["apps"]
        context = Tortoise._get_context()
        writers = await MigrationAutodetector(context.apps, apps).changes()
        return [f"{w.app_label}.{w.name}: {[type(op).__name__ for op in w.operations]}" for w in writers]
    finally:
        await close_database()


def test_migrations_match_the_models(tmp_path):
    url = f"sqlite://{tmp_path}/migrated.db"
    assert asyncio.run(apply_migrations(url)) >= 1
    assert asyncio.run(apply_migrations(url)) == 0, "a second migrate must find nothing to do"
    assert asyncio.run(_pending_changes(url)) == [], (
        "models changed without a migration: run `tortoise makemigrations` (docs/DEVELOPING.md)"
    )


def test_migrations_apply_on_postgres(postgres_database):
    import os

    import pytest

    base = os.environ.get("FIELDLINE_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("FIELDLINE_TEST_POSTGRES_URL is not set")
    from tests.support.databases import RUN_ID, create_postgres_database, drop_postgres_database

    name = f"fieldline_migrate_{RUN_ID}"
    url = asyncio.run(create_postgres_database(base, name))
    try:
        assert asyncio.run(apply_migrations(url)) >= 1
        assert asyncio.run(apply_migrations(url)) == 0
    finally:
        asyncio.run(drop_postgres_database(base, name))


def test_migrations_form_one_linear_chain():
    """Two branches landing a migration each must not leave two heads: every
    migration follows exactly the one before it (docs/DEVELOPING.md)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "server" / "migrations"
    parents: dict[str, list[str]] = {}
    for path in sorted(folder.glob("[0-9]*.py")):
        tree = ast.parse(path.read_text())
        deps = next((ast.literal_eval(node.value) for node in ast.walk(tree)
                     if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "dependencies"), [])
        parents[path.stem] = [name for app, name in deps if app == "models"]
    names = sorted(parents)
    assert parents[names[0]] == []
    for before, after in zip(names, names[1:]):
        assert parents[after] == [before], f"{after} must depend on {before}, not {parents[after]}"
    assert len({name[:4] for name in names}) == len(names), "two migrations share a number"
