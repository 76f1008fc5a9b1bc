"""The email outbox: queued emails sent with retry and exponential back-off.

With `SMTP_HOST` set, each email goes through aiosmtplib. A temporary failure
(a 4xx reply, the server down or slow) leaves it queued with `attempts`,
`last_error` and a later `next_attempt_at` (`email_retry_base_s`, doubling, at
most an hour), up to `email_max_attempts` tries; a permanent refusal (a 5xx
reply such as 550 unknown recipient), or the last allowed try, marks it failed
with its error and it is not tried again. Without an SMTP host each
email is written as `<id>.eml` to the outbox folder. An email is marked sent
right after the server accepted it; a claim with a lease keeps two senders off
the same email.
"""

from __future__ import annotations

import asyncio
import logging
from email.message import EmailMessage
from pathlib import Path
from email.utils import formatdate, make_msgid

import aiosmtplib

from server.actions.emails import claim, mark_failed, mark_sent, mark_undeliverable
from server.clock import utcnow
from server.metrics import EMAILS
from server.models.notifications import EmailOutbox
from server.private_files import write_private
from server.settings import Settings, get_settings

log = logging.getLogger(__name__)
BATCH = 100
SMTP_TIMEOUT_S = 20.0


def build_message(email: EmailOutbox, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    # The same id on every attempt, so a receiver can drop a repeat.
    message["Message-ID"] = make_msgid(idstring=f"outbox-{email.id}", domain="fieldline")
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


async def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    await aiosmtplib.send(
        message, hostname=settings.smtp_host, port=settings.smtp_port,
        username=settings.smtp_user, password=settings.smtp_password,
        start_tls=settings.smtp_starttls or None, timeout=SMTP_TIMEOUT_S,
    )


def refused_for_good(error: BaseException) -> bool:
    """A permanent refusal (an SMTP 5xx reply: unknown recipient, sender refused,
    message refused), which sending again cannot change. A 4xx reply, a refused
    or dropped connection, a timeout, or the server refusing our own login (a
    setting to fix, after which the email should still go) are temporary."""
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(500 <= r.code < 600 for r in error.recipients)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return 500 <= error.code < 600
    return False


def _write_eml(message: EmailMessage, email_id: int, folder: str) -> None:
    # whole or absent (a reader never sees half an email), and the server's user's only
    write_private(Path(folder) / f"{email_id:08d}.eml", bytes(message))


async def deliver_due_emails() -> int:
    """Send every queued email whose attempt is due; returns how many were sent."""
    settings = get_settings()
    now = utcnow()
    due = await EmailOutbox.filter(sent_at=None, next_attempt_at__lte=now).order_by("id").limit(BATCH)
    sent = 0
    for email in due:
        if not await claim(email, now):
            continue  # another process has it
        try:
            message = build_message(email, settings)
        except (ValueError, TypeError) as error:  # e.g. a line break in a header: it never will build
            EMAILS.labels("failed").inc()
            log.warning("email %d cannot be built and is not retried: %s: %s", email.id, type(error).__name__, error)
            await mark_undeliverable(email, f"{type(error).__name__}: {error}")
            continue
        try:
            if settings.smtp_host:
                await _send_smtp(message, settings)
            else:
                await asyncio.to_thread(_write_eml, message, email.id, settings.outbox_dir)
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as error:
            EMAILS.labels("failed").inc()
            reason = f"{type(error).__name__}: {error}"
            if refused_for_good(error):
                log.warning("email %d refused by the mail server and not retried: %s", email.id, reason)
                await mark_undeliverable(email, reason)
            elif email.attempts + 1 >= settings.email_max_attempts:
                log.warning("email %d failed %d times and is not retried: %s", email.id, email.attempts + 1, reason)
                await mark_undeliverable(email, f"gave up after {email.attempts + 1} attempts: {reason}")
            else:
                log.warning("email %d failed (attempt %d): %s", email.id, email.attempts + 1, reason)
                await mark_failed(email, reason, utcnow(), settings.email_retry_base_s)
            continue
        await mark_sent(email.id, utcnow())
        EMAILS.labels("sent").inc()
        log.info("email %d sent %s", email.id, "over SMTP" if settings.smtp_host else "to the outbox folder")
        sent += 1
    return sent
