"""Email digests: mentions, reminders and task assignments for people who are away."""

from __future__ import annotations


async def send_due_digests() -> int:
    """Queue one digest email per person whose digest is due; returns how many were queued."""
    return 0
