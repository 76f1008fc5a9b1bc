"""The email outbox's state changes: queueing digests, claiming due emails,
recording success or failure. Sending itself is `notifications.outbox`.

Every step is a conditional UPDATE, so several server processes can run the
digest and delivery jobs at once: a digest window or an email is taken by one.
"""

from __future__ import annotations

import datetime as dt
import re

from tortoise.expressions import Q

from server.models.identity import User
from server.models.notifications import EmailOutbox, Notification, NotificationPreference
from server.transaction import atomic

_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_BACKOFF_S = 3600.0
# An email that can never go (it cannot even be built) waits for this moment:
# it stays in the outbox, unsent, with its error, and is not tried again.
NEVER = dt.datetime(2999, 12, 31, tzinfo=dt.timezone.utc)
UNDELIVERABLE = "not retried: "
LEASE_S = 120.0  # a sender that dies mid-send gives the email back after this


async def skip_for_email(notification_ids: list[int]) -> None:
    """These will never be emailed (kind turned off, seen live, no address)."""
    if notification_ids:
        async with atomic():
            await Notification.filter(id__in=notification_ids, emailed=False).update(emailed=True)


async def queue_digest(
    user: User, notification_ids: list[int], subject: str, text: str, html: str,
    now: dt.datetime, window: dt.timedelta,
) -> bool:
    """Queue one digest if this user's digest window is open, and close it.

    False when another process took the window first (or it is still shut).
    """
    async with atomic():
        await NotificationPreference.get_or_create(user_id=user.id)
        opened = await NotificationPreference.filter(user_id=user.id).filter(
            Q(last_digest_at=None) | Q(last_digest_at__lte=now - window)
        ).update(last_digest_at=now)
        if not opened:
            return False
        await Notification.filter(id__in=notification_ids).update(emailed=True)
        subject = " ".join(_LINE_BREAKS.sub(" ", subject).split())  # a header is one line
        await EmailOutbox.create(to=user.email, subject=subject[:300], text=text, html=html,
                                 user_id=user.id, next_attempt_at=now)
    return True


async def claim(email: EmailOutbox, now: dt.datetime) -> bool:
    """Take a due email for sending; the lease keeps others off it meanwhile."""
    async with atomic():
        taken = await EmailOutbox.filter(
            id=email.id, sent_at=None, next_attempt_at__lte=now
        ).update(next_attempt_at=now + dt.timedelta(seconds=LEASE_S))
    return bool(taken)


async def mark_sent(email_id: int, now: dt.datetime) -> None:
    async with atomic():
        await EmailOutbox.filter(id=email_id).update(sent_at=now, last_error=None)


async def mark_failed(email: EmailOutbox, error: str, now: dt.datetime, base_s: float) -> None:
    """Try again after base · 2^(attempts − 1) seconds, at most an hour."""
    attempts = email.attempts + 1
    delay = min(base_s * 2 ** (attempts - 1), MAX_BACKOFF_S)
    async with atomic():
        await EmailOutbox.filter(id=email.id).update(
            attempts=attempts, last_error=error[:2000], next_attempt_at=now + dt.timedelta(seconds=delay)
        )


async def mark_undeliverable(email: EmailOutbox, error: str) -> None:
    """This email can never be sent (say, a header that cannot be built): keep it
    with its error for an administrator to see, and never try it again."""
    async with atomic():
        await EmailOutbox.filter(id=email.id).update(
            attempts=email.attempts + 1, last_error=(UNDELIVERABLE + error)[:2000], next_attempt_at=NEVER
        )
