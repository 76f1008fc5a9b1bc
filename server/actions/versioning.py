"""Optimistic concurrency: `If-Match: <version>` against a record's `version`."""

from __future__ import annotations

from typing import Any

from server.clock import utcnow
from server.errors import AppError, ErrorCode


def check_version(record: Any, expected: int | None) -> None:
    """409 `stale_version` when the caller edited an older version than the stored one.

    Call it on the row read with `select_for_update()` inside the transaction,
    so two writers with the same version cannot both pass.
    """
    if expected is not None and record.version != expected:
        raise AppError(
            ErrorCode.STALE_VERSION,
            "Someone changed this record first; reload it and apply your change again.",
            {"current_version": record.version},
        )


async def soft_delete(record: Any, expected_version: int | None) -> None:
    """Mark a locked row deleted as a new version (phones that sync get a tombstone);
    409 `stale_version` as `check_version`. Call it inside the transaction."""
    check_version(record, expected_version)
    await mark_deleted(record)


async def mark_deleted(record: Any) -> None:
    """The delete itself, once every check passed: deleted now, as a new version."""
    record.deleted_at = utcnow()
    record.version += 1
    await record.save()
