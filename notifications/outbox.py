"""The email outbox: queued emails sent with retry and exponential back-off."""

from __future__ import annotations


async def deliver_due_emails() -> int:
    """Send every queued email whose attempt is due; returns how many were sent."""
    return 0
