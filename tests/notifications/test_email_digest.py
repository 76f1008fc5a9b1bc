"""Digests for people who are away, and the outbox that sends them."""

from __future__ import annotations

import asyncio
import datetime as dt
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from notifications.digest import in_quiet_hours, send_due_digests
from notifications.outbox import deliver_due_emails


async def _mention(org: Any, author: str, body: str) -> dict[str, Any]:
    answer = await org.post(author, "/api/v1/posts", {"body": body})
    assert answer.status_code == 201
    return answer.json()


async def _set_email(org: Any, who: str, address: str) -> None:
    assert (await org.patch("admin", f"/api/v1/users/{org.users[who].id}", {"email": address})).status_code == 200


def _parts(message: Message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
            if part.get_content_type() in ("text/plain", "text/html")}


async def test_away_person_gets_one_digest_with_deep_links(org: Any, override_settings: Any, smtp_server: Any) -> None:
    override_settings(email_after_minutes=0, email_digest_minutes=60, smtp_host="127.0.0.1",
                      smtp_port=smtp_server.port, public_base_url="https://crm.example.test")
    await _set_email(org, "rep_west", "will@example.test")
    first = await _mention(org, "rep_east1", "@rep_west 请看报价")
    second = await _mention(org, "rep_sh", "@rep_west 明天拜访")
    assert await send_due_digests() == 1
    assert await send_due_digests() == 0  # nothing new; window shut anyway
    assert await deliver_due_emails() == 1
    assert await deliver_due_emails() == 0
    [message] = smtp_server.messages
    assert message["To"] == "will@example.test"
    parts = _parts(message)
    for item in (first, second):
        link = f"https://crm.example.test/app/post/{item['id']}"
        assert link in parts["text/plain"] and link in parts["text/html"]
    assert "张伟 在工作圈提到了你" in parts["text/plain"]
    third = await _mention(org, "rep_east2", "@rep_west again")
    assert await send_due_digests() == 0  # one digest per window
    override_settings(email_digest_minutes=0)
    assert await send_due_digests() == 1
    await deliver_due_emails()
    assert f"/app/post/{third['id']}" in _parts(smtp_server.messages[-1])["text/plain"]
    assert f"/app/post/{first['id']}" not in _parts(smtp_server.messages[-1])["text/plain"]


async def test_not_away_long_enough_turned_off_or_read_means_no_email(org: Any, override_settings: Any) -> None:
    override_settings(email_after_minutes=60 * 24 * 365 * 10, email_digest_minutes=0)
    await _set_email(org, "rep_west", "will@example.test")
    await _mention(org, "rep_east1", "@rep_west hello")
    assert await send_due_digests() == 0  # the account is younger than ten years
    override_settings(email_after_minutes=0)
    assert (await org.put("rep_west", "/api/v1/me/preferences", {"email": {"mention": False}})).status_code == 200
    assert await send_due_digests() == 0
    assert (await org.put("rep_west", "/api/v1/me/preferences", {"email": {"mention": True}})).status_code == 200
    await _mention(org, "rep_east1", "@rep_west second")
    assert (await org.post("rep_west", "/api/v1/notifications/read", {"all": True})).json()["updated"] == 2
    assert await send_due_digests() == 0


async def test_without_smtp_emails_become_eml_files(org: Any, override_settings: Any, settings: Any) -> None:
    override_settings(email_after_minutes=0, email_digest_minutes=0, smtp_host=None)
    await _set_email(org, "rep_west", "will@example.test")
    await _mention(org, "rep_east1", "@rep_west 文件")
    assert await send_due_digests() == 1
    assert await deliver_due_emails() == 1
    files = list(Path(settings.outbox_dir).glob("*.eml"))
    assert len(files) == 1
    text = files[0].read_text()
    assert "To: will@example.test" in text and "multipart/alternative" in text


async def test_quiet_hours_hold_the_digest(org: Any, override_settings: Any) -> None:
    override_settings(email_after_minutes=0, email_digest_minutes=0, smtp_host=None)
    await _set_email(org, "rep_west", "will@example.test")
    now = dt.datetime.now(dt.timezone.utc).astimezone(dt.timezone(dt.timedelta(hours=8)))
    start, end = (now - dt.timedelta(hours=1)).strftime("%H:%M"), (now + dt.timedelta(hours=1)).strftime("%H:%M")
    prefs = {"quiet_hours": {"start": start, "end": end}}
    answer = await org.put("rep_west", "/api/v1/me/preferences", prefs)
    assert answer.json()["quiet_hours"] == prefs["quiet_hours"]
    await _mention(org, "rep_east1", "@rep_west shh")
    assert await send_due_digests() == 0
    await org.put("rep_west", "/api/v1/me/preferences", {"quiet_hours": None})
    assert await send_due_digests() == 1


@pytest.mark.parametrize(("start", "end", "clock", "quiet"), [
    ("22:00", "07:00", "23:30", True), ("22:00", "07:00", "06:59", True), ("22:00", "07:00", "07:00", False),
    ("12:00", "13:00", "12:30", True), ("12:00", "13:00", "13:30", False), ("09:00", "09:00", "09:00", False),
])
def test_quiet_hours_span_midnight(start: str, end: str, clock: str, quiet: bool) -> None:
    hour, minute = map(int, clock.split(":"))
    local = dt.datetime(2026, 11, 25, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert in_quiet_hours(start, end, "Asia/Shanghai", local.astimezone(dt.timezone.utc)) is quiet


async def test_smtp_down_then_back_sends_every_email_once(org: Any, override_settings: Any, smtp_server: Any) -> None:
    override_settings(email_after_minutes=0, email_digest_minutes=0, smtp_host="127.0.0.1",
                      smtp_port=smtp_server.port, email_retry_base_s=0)
    people = ["rep_west", "rep_east2", "rep_sh", "manager_west"]
    for who in people:
        await _set_email(org, who, f"{who}@example.test")
        await _mention(org, "rep_east1", f"@{who} 在吗")
    assert await send_due_digests() == len(people)
    smtp_server.stop()
    for _ in range(3):
        assert await deliver_due_emails() == 0
    from server.models.notifications import EmailOutbox

    failed = await EmailOutbox.all()
    assert {e.attempts for e in failed} == {3} and all(e.last_error for e in failed)
    smtp_server.start()
    sent = sum(await asyncio.gather(deliver_due_emails(), deliver_due_emails()))
    for _ in range(5):  # a send refused while the server warms up is simply retried
        if sent == len(people):
            break
        sent += await deliver_due_emails()
    assert sent == len(people), [(e.id, e.attempts, e.last_error) for e in await EmailOutbox.all()]
    assert await deliver_due_emails() == 0
    assert all(e.sent_at for e in await EmailOutbox.all())
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(f"{w}@example.test" for w in people)


async def test_backoff_doubles_while_the_server_is_down(org: Any, override_settings: Any, smtp_server: Any) -> None:
    override_settings(email_after_minutes=0, email_digest_minutes=0, smtp_host="127.0.0.1",
                      smtp_port=smtp_server.port, email_retry_base_s=30)
    await _set_email(org, "rep_west", "will@example.test")
    await _mention(org, "rep_east1", "@rep_west ping")
    await send_due_digests()
    smtp_server.stop()
    assert await deliver_due_emails() == 0
    assert await deliver_due_emails() == 0  # not due again yet
    from server.models.notifications import EmailOutbox

    email = await EmailOutbox.get()
    assert email.attempts == 1
    wait = (email.next_attempt_at - dt.datetime.now(dt.timezone.utc)).total_seconds()
    assert 20 < wait <= 30


async def test_an_email_that_cannot_be_built_is_marked_failed_and_not_retried(org: Any, override_settings: Any,
                                                                              tmp_path: Path) -> None:
    """It stayed unsent and was retried every 120 s with a traceback."""
    import datetime as dt

    from server.models.notifications import EmailOutbox

    override_settings(outbox_dir=str(tmp_path / "outbox"))
    now = dt.datetime.now(dt.timezone.utc)
    broken = await EmailOutbox.create(to="will@example.test", subject="Hi\r\nBcc: all@example.test", text="x",
                                      html="<p>x</p>", user_id=org.rep_west.id, next_attempt_at=now)
    fine = await EmailOutbox.create(to="will@example.test", subject="Hi", text="x", html="<p>x</p>",
                                    user_id=org.rep_west.id, next_attempt_at=now)
    assert await deliver_due_emails() == 1
    broken = await EmailOutbox.get(id=broken.id)
    assert broken.sent_at is None and broken.attempts == 1
    assert broken.last_error.startswith("not retried: ValueError")
    assert broken.next_attempt_at.year == 2999
    assert (await EmailOutbox.get(id=fine.id)).sent_at is not None
    assert await deliver_due_emails() == 0


async def test_a_digest_subject_is_one_line_whatever_the_names_in_it(org: Any) -> None:
    import datetime as dt

    from server.actions.emails import queue_digest
    from server.models.notifications import EmailOutbox

    org.rep_west.email = "will@example.test"
    await queue_digest(org.rep_west, [], "3 new from 王经理\r\nBcc: x@example.test", "t", "<p>h</p>",
                       dt.datetime.now(dt.timezone.utc), dt.timedelta(minutes=15))
    assert (await EmailOutbox.get(user_id=org.rep_west.id)).subject == "3 new from 王经理 Bcc: x@example.test"
