"""Pushes reach the local push service encrypted, signed and once; dead devices are forgotten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actions.reminders import schedule_reminder
from server.models.push import PushOutbox, PushSubscription
from server.clock import utcnow
from tests.push.conftest import eventually, subscribe
from tests.support.push_service import PushService


def assert_clean(service: PushService) -> None:
    problems = [p.problems for p in service.pushes() if p.problems]
    assert not problems, problems


async def test_a_mention_is_pushed_encrypted_signed_and_readable(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    post = await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 请明天拜访华东物流"})
    assert post.status_code == 201
    [push] = await eventually(lambda: push_service.pushes("phone"), what="the push")
    assert_clean(push_service)
    note = (await org.get("rep_sh", "/api/v1/notifications")).json()["items"][0]
    assert push.payload == {"title": note["title"], "body": "@rep_sh 请明天拜访华东物流",
                            "url": f"/app/post/{post.json()['id']}", "kind": "mention",
                            "tag": f"notification-{note['id']}"}
    assert push.claims is not None and push.claims["sub"].startswith("mailto:")
    assert push.headers["topic"] == f"notification-{note['id']}" and push.headers["urgency"] == "normal"
    await eventually(lambda: PushOutbox.filter(state="sent").count(), what="the row marked sent")


async def test_a_reminder_is_pushed_with_high_urgency(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    reminder = await schedule_reminder(org.rep_sh.id, "task", "回访上海瑞丽服装", utcnow(), link_type="task", link_id=7)
    [push] = await eventually(lambda: push_service.pushes("phone"), what="the reminder's push")
    assert_clean(push_service)
    assert push.payload is not None and push.payload["kind"] == "reminder"
    assert "回访上海瑞丽服装" in push.payload["title"] + push.payload["body"]
    assert push.payload["url"] == "/app/task/7" and push.headers["urgency"] == "high"
    assert reminder.id


async def test_a_direct_message_is_pushed_to_the_other_person_only(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "sh-phone")
    await subscribe(org, "rep_west", push_service, "west-phone")
    chat = await org.post("rep_west", "/api/v1/conversations", {"kind": "direct", "member_ids": [org.rep_sh.id]})
    cid = chat.json()["id"]
    sent = await org.post("rep_west", f"/api/v1/conversations/{cid}/messages", {"client_id": "c1", "body": "到了吗？"})
    assert sent.status_code == 201
    [push] = await eventually(lambda: push_service.pushes("sh-phone"), what="the message's push")
    assert push.payload == {"title": "Will West", "body": "到了吗？", "url": f"/app/conversation/{cid}",
                            "kind": "chat", "tag": f"message-{sent.json()['id']}"}
    assert push_service.pushes("west-phone") == []
    assert await PushOutbox.filter(user_id=org.rep_west.id).count() == 0


async def test_a_group_message_is_pushed_only_to_those_it_mentions(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "sh-phone")
    await subscribe(org, "rep_east1", push_service, "east-phone")
    members = [org.rep_sh.id, org.rep_east1.id]
    group = await org.post("manager_east", "/api/v1/conversations", {"kind": "group", "title": "华东", "member_ids": members})
    cid = group.json()["id"]
    await org.post("manager_east", f"/api/v1/conversations/{cid}/messages", {"client_id": "a", "body": "大家好"})
    await org.post("manager_east", f"/api/v1/conversations/{cid}/messages", {"client_id": "b", "body": "@rep_sh 报价呢"})
    [push] = await eventually(lambda: push_service.pushes("sh-phone"), what="the mention's push")
    assert push.payload is not None and push.payload["kind"] == "mention" and push.payload["body"] == "@rep_sh 报价呢"
    assert await PushOutbox.filter(user_id=org.rep_east1.id).count() == 0


async def test_a_device_the_service_no_longer_knows_is_deleted(org: Any, push_service: PushService) -> None:
    gone = await subscribe(org, "rep_sh", push_service, "old-phone", status=410)
    await subscribe(org, "rep_sh", push_service, "new-phone")
    await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 看一下"})
    await eventually(lambda: push_service.pushes("new-phone") and push_service.pushes("old-phone"), what="both pushes")
    async def forgotten() -> bool:
        return not await PushSubscription.exists(id=gone)

    await eventually(forgotten, what="the dead subscription deleted")
    assert await PushOutbox.filter(subscription_id=gone).count() == 0
    listed = (await org.get("rep_sh", "/api/v1/push/subscriptions")).json()["items"]
    assert len(listed) == 1 and listed[0]["id"] != gone


async def test_a_failed_push_is_retried_with_backoff_until_it_goes(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "flaky", statuses=[503, 429])
    await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 再试"})
    await eventually(lambda: len(push_service.pushes("flaky")) == 3, what="two failures and a success")
    [row] = await eventually(lambda: PushOutbox.filter(state="sent"), what="the row marked sent")
    assert row.attempts == 2 and row.last_error is None
    assert [p.answered for p in push_service.pushes("flaky")] == [503, 429, 201]
    assert len({p.payload["tag"] for p in push_service.pushes("flaky") if p.payload}) == 1


async def test_a_push_refused_for_good_is_not_retried(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "picky", status=400)
    await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh x"})
    [row] = await eventually(lambda: PushOutbox.filter(state="failed"), what="the row marked failed")
    assert "400" in (row.last_error or "")
    assert len(push_service.pushes("picky")) == 1
    assert await PushSubscription.filter(user_id=org.rep_sh.id).count() == 1


async def test_native_devices_get_nothing_and_nothing_fails_when_fcm_and_apns_are_not_configured(
    org: Any, push_service: PushService
) -> None:
    await org.post("rep_sh", "/api/v1/push/subscriptions", {"kind": "fcm", "token": "fcm-token"})
    await org.post("rep_sh", "/api/v1/push/subscriptions", {"kind": "apns", "token": "b" * 64})
    await subscribe(org, "rep_sh", push_service, "browser")
    await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 你好"})
    await eventually(lambda: push_service.pushes("browser"), what="the web push")
    # The sender marks the row after the service has answered: wait for the mark.
    await eventually(lambda: PushOutbox.filter(state="sent").count(), what="the row marked sent")
    assert [r.kind for r in await PushOutbox.all().select_related("subscription")] == ["mention"]
    assert await PushOutbox.exclude(state="sent").count() == 0
    assert await PushSubscription.filter(user_id=org.rep_sh.id).count() == 3


async def test_pushes_older_than_a_week_are_pruned(org: Any, push_service: PushService) -> None:
    from server.actions.push import prune_outbox

    await subscribe(org, "rep_sh", push_service, "phone")
    await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh 旧"})
    await eventually(lambda: PushOutbox.filter(state="sent").count(), what="the push sent")
    assert await prune_outbox(utcnow() - dt.timedelta(days=7)) == 0
    assert await prune_outbox(utcnow() + dt.timedelta(seconds=1)) == 1
