"""Applying Tortoise's built-in migrations (`server/migrations/`)."""

from __future__ import annotations

from tortoise import connections
from tortoise.migrations.api import migrate

from server.db import tortoise_config


async def apply_migrations(database_url: str) -> int:
    """Apply pending migrations; return how many were applied."""
    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    try:
        await migrate(config=tortoise_config(database_url), progress=progress)
    finally:
        await connections.close_all()
    return len(applied)
