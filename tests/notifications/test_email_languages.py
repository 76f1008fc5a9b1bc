"""Digest emails in the recipient's language, times on their clock, through the
real outbox and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from email.header import decode_header, make_header
from email.message import Message
from typing import Any

from notifications.digest import send_due_digests
from notifications.outbox import deliver_due_emails
from server.i18n import moment
from server.models.notifications import Notification


def _parts(message: Message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
            for part in message.walk()
            if part.get_content_type() in ("text/plain", "text/html")}


async def test_each_reader_gets_their_digest_in_their_language(org: Any, override_settings: Any, smtp_server: Any):
    override_settings(email_after_minutes=0, email_digest_minutes=60, smtp_host="127.0.0.1",
                      smtp_port=smtp_server.port, public_base_url="https://crm.example.test")
    english = {"email": "will@example.test", "language": "en", "timezone": "Europe/Berlin"}
    assert (await org.patch("rep_west", "/api/v1/me", english)).status_code == 200
    assert (await org.patch("rep_east2", "/api/v1/me", {"email": "li.na@example.test"})).status_code == 200
    for author in ("rep_east1", "rep_sh"):
        assert (await org.post(author, "/api/v1/posts", {"body": "@rep_west @李娜 请看报价"})).status_code == 201
    assert await send_due_digests() == 2
    assert await deliver_due_emails() == 2
    mails = {m["To"]: m for m in smtp_server.messages}
    first_at = {u: (await Notification.filter(user_id=u).order_by("id").first()).created_at
                for u in (org.rep_west.id, org.rep_east2.id)}

    en = mails["will@example.test"]
    assert str(make_header(decode_header(en["Subject"]))) == "张伟 mentioned you (+1 more)"
    text, page = _parts(en)["text/plain"], _parts(en)["text/html"]
    assert text.startswith("Hello Will West,\n\nWhile you were away:\n")
    assert f"* [Mentioned] 张伟 mentioned you ({moment(first_at[org.rep_west.id], 'en', 'Europe/Berlin')})" in text
    assert "Email settings: https://crm.example.test/app/settings/notifications" in text
    assert '<html lang="en">' in page and "While you were away:" in page and "王芳 mentioned you" in page

    zh = mails["li.na@example.test"]
    assert str(make_header(decode_header(zh["Subject"]))) == "张伟 在工作圈提到了你（另有 1 条）"
    text, page = _parts(zh)["text/plain"], _parts(zh)["text/html"]
    assert text.startswith("李娜，你好：\n\n你离开期间：\n")
    shanghai = moment(first_at[org.rep_east2.id], "zh-CN", "Asia/Shanghai")
    assert f"* [提到你] 张伟 在工作圈提到了你（{shanghai}）" in text
    assert "邮件设置: https://crm.example.test/app/settings/notifications" in text
    assert '<html lang="zh-CN">' in page and "你离开期间" in page and "王芳 在工作圈提到了你" in page
    assert "mentioned" not in text and "Hello" not in page
