"""What the mail server refuses for good (a 5xx reply) is marked failed with its
error and never tried again; a temporary failure (a 4xx reply, the server down)
is retried with back-off a bounded number of times, then marked failed."""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from typing import Any

import pytest

from notifications.outbox import deliver_due_emails
from tests.notifications.conftest import SmtpServer


class _Refusing:
    """Answers 550 for gone@…, 553 for bad@…, 451 for busy@…, and takes the rest."""

    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 No such user here"
        if address.startswith("bad@"):
            return "553 5.1.3 Mailbox name not allowed"
        if address.startswith("busy@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.delivered.append(email.message_from_bytes(envelope.content)["To"])
        return "250 OK"


@pytest.fixture
def refusing_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.handler = _Refusing()  # type: ignore[assignment]
    server.start()
    yield server
    server.stop()


async def _queue(org: Any, to: str) -> Any:
    from server.models.notifications import EmailOutbox

    return await EmailOutbox.create(to=to, subject="提醒", text="x", html="<p>x</p>", user_id=org.rep_west.id,
                                    next_attempt_at=dt.datetime.now(dt.timezone.utc))


async def _due_now() -> None:
    from server.models.notifications import EmailOutbox

    await EmailOutbox.filter(sent_at=None, next_attempt_at__lt=dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc)).update(
        next_attempt_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))


async def test_a_recipient_refused_for_good_is_marked_failed_and_not_retried(
    org: Any, override_settings: Any, refusing_smtp: Any
) -> None:
    from server.models.notifications import EmailOutbox

    override_settings(smtp_host="127.0.0.1", smtp_port=refusing_smtp.port, email_retry_base_s=30)
    gone, bad, fine = await _queue(org, "gone@example.test"), await _queue(org, "bad@example.test"), await _queue(org, "ok@example.test")
    assert await deliver_due_emails() == 1
    assert refusing_smtp.handler.delivered == ["ok@example.test"]
    for refused, code in ((gone, "550"), (bad, "553")):
        row = await EmailOutbox.get(id=refused.id)
        assert row.sent_at is None and row.attempts == 1
        assert row.last_error.startswith("not retried: SMTPRecipientsRefused") and code in row.last_error, row.last_error
        assert row.next_attempt_at.year == 2999
    assert (await EmailOutbox.get(id=fine.id)).sent_at is not None
    await _due_now()
    assert await deliver_due_emails() == 0
    assert {e.attempts for e in await EmailOutbox.filter(id__in=[gone.id, bad.id])} == {1}


async def test_a_temporary_refusal_is_retried_with_back_off_then_marked_failed(
    org: Any, override_settings: Any, refusing_smtp: Any
) -> None:
    from server.models.notifications import EmailOutbox

    override_settings(smtp_host="127.0.0.1", smtp_port=refusing_smtp.port, email_retry_base_s=30, email_max_attempts=3)
    busy = await _queue(org, "busy@example.test")
    waits = []
    for attempt in (1, 2):
        assert await deliver_due_emails() == 0
        row = await EmailOutbox.get(id=busy.id)
        assert row.attempts == attempt and "451" in row.last_error and not row.last_error.startswith("not retried")
        waits.append((row.next_attempt_at - dt.datetime.now(dt.timezone.utc)).total_seconds())
        assert await deliver_due_emails() == 0  # not due yet
        await _due_now()
    assert 20 < waits[0] <= 30 and 50 < waits[1] <= 60  # doubling
    assert await deliver_due_emails() == 0
    row = await EmailOutbox.get(id=busy.id)
    assert row.attempts == 3 and row.last_error.startswith("not retried: gave up after 3 attempts: ")
    assert row.next_attempt_at.year == 2999


async def test_a_server_that_refuses_connections_is_retried_a_bounded_number_of_times(
    org: Any, override_settings: Any, refusing_smtp: Any
) -> None:
    from server.models.notifications import EmailOutbox

    override_settings(smtp_host="127.0.0.1", smtp_port=refusing_smtp.port, email_retry_base_s=0, email_max_attempts=2)
    refusing_smtp.stop()
    queued = await _queue(org, "ok@example.test")
    assert await deliver_due_emails() == 0
    assert (await EmailOutbox.get(id=queued.id)).next_attempt_at.year != 2999
    assert await deliver_due_emails() == 0
    row = await EmailOutbox.get(id=queued.id)
    assert row.attempts == 2 and row.last_error.startswith("not retried: gave up after 2 attempts")
    assert await deliver_due_emails() == 0
    assert (await EmailOutbox.get(id=queued.id)).attempts == 2
