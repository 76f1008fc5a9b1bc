"""Who gets a push: kinds each person turned off, quiet hours on their own clock."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from server.actions.notify import notify
from server.actions.push import PUSH_KINDS
from server.models.identity import User
from server.models.push import PushOutbox
from server.clock import utcnow
from tests.push.conftest import subscribe
from tests.support.push_service import PushService


def window_around_now(timezone: str) -> dict[str, str]:
    """Quiet hours from an hour before to an hour after now on `timezone`'s clock."""
    local = utcnow().astimezone(ZoneInfo(timezone))
    start, end = local - dt.timedelta(hours=1), local + dt.timedelta(hours=1)
    return {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}


async def queued_kinds(user_id: int) -> list[str]:
    return [r.kind for r in await PushOutbox.filter(user_id=user_id).order_by("id")]


async def test_push_kinds_turned_off_are_not_pushed(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    answer = await org.put("rep_sh", "/api/v1/me/preferences", {"push": {"mention": False, "chat": False}})
    assert answer.status_code == 200
    assert answer.json()["push"] == {"mention": False, "reminder": True, "task": True, "approval": True,
                                     "announcement": True, "chat": False}
    for kind in ("mention", "task", "announcement", "reminder"):
        await notify([org.rep_sh.id], kind, f"a {kind}", "body", link_type="task", link_id=1)
    assert await queued_kinds(org.rep_sh.id) == ["task", "announcement", "reminder"]
    assert (await org.put("rep_sh", "/api/v1/me/preferences", {"push": {"task": "no"}})).status_code == 422


async def test_quiet_hours_hold_pushes_on_the_persons_own_clock_but_not_reminders(
    org: Any, push_service: PushService
) -> None:
    await User.filter(id=org.rep_west.id).update(timezone="America/Los_Angeles")
    for who in ("rep_sh", "rep_west"):
        await subscribe(org, who, push_service, f"{who}-phone")
    quiet = window_around_now("America/Los_Angeles")  # now is quiet in Los Angeles, 16 h away from Shanghai
    for who in ("rep_sh", "rep_west"):
        assert (await org.put(who, "/api/v1/me/preferences", {"quiet_hours": quiet})).status_code == 200
    await notify([org.rep_sh.id, org.rep_west.id], "mention", "m", "b", link_type="post", link_id=1)
    await notify([org.rep_sh.id, org.rep_west.id], "reminder", "r", "b", link_type="task", link_id=1)
    assert await queued_kinds(org.rep_sh.id) == ["mention", "reminder"]
    assert await queued_kinds(org.rep_west.id) == ["reminder"]


async def test_reminders_are_held_in_quiet_hours_once_the_person_opts_out(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    answer = await org.put("rep_sh", "/api/v1/me/preferences",
                           {"quiet_hours": window_around_now("Asia/Shanghai"), "reminders_in_quiet_hours": False})
    assert answer.json()["reminders_in_quiet_hours"] is False
    await notify([org.rep_sh.id], "reminder", "r", "b", link_type="task", link_id=1)
    assert await queued_kinds(org.rep_sh.id) == []
    assert (await org.put("rep_sh", "/api/v1/me/preferences", {"quiet_hours": None})).status_code == 200
    await notify([org.rep_sh.id], "reminder", "r", "b", link_type="task", link_id=1)
    assert await queued_kinds(org.rep_sh.id) == ["reminder"]


async def test_comments_and_system_notices_are_not_pushed(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    for kind in ("comment", "system"):
        assert kind not in PUSH_KINDS
        await notify([org.rep_sh.id], kind, "x", "y")
    assert await queued_kinds(org.rep_sh.id) == []


async def test_a_push_carries_a_short_title_and_body(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    await notify([org.rep_sh.id], "announcement", "公告" * 100, "正文\n\n" * 200, link_type="post", link_id=3)
    [row] = await PushOutbox.filter(user_id=org.rep_sh.id)
    assert len(row.payload["title"]) <= 80 and row.payload["title"].endswith("…")
    assert len(row.payload["body"]) <= 160 and "\n" not in row.payload["body"]
    assert row.payload["url"] == "/app/post/3"


async def test_a_push_is_queued_with_the_seq_of_its_event(org: Any, push_service: PushService, event_log: Any) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    [note] = await notify([org.rep_sh.id], "task", "t", "b", link_type="task", link_id=2)
    [row] = await PushOutbox.filter(user_id=org.rep_sh.id)
    [event] = [e for e in await event_log(org.rep_sh.id) if e["type"] == "notification.new"]
    assert row.seq == event["seq"] and event["data"]["id"] == note.id


async def test_each_recipient_reads_the_push_in_their_own_language(org: Any, push_service: PushService) -> None:
    await User.filter(id=org.rep_west.id).update(language="en")
    await subscribe(org, "rep_sh", push_service, "zh-phone")
    await subscribe(org, "rep_west", push_service, "en-phone")
    post = await org.post("manager_east", "/api/v1/posts", {"body": "@rep_sh @rep_west 周会改到三点"})
    assert post.status_code == 201
    titles = {r.user_id: r.payload["title"] for r in await PushOutbox.all()}
    assert titles[org.rep_west.id] != titles[org.rep_sh.id]
    assert "王经理" in titles[org.rep_west.id] and "mention" in titles[org.rep_west.id].lower()
    note = (await org.get("rep_sh", "/api/v1/notifications")).json()["items"][0]
    assert titles[org.rep_sh.id] == note["title"]


async def test_approvals_waiting_are_pushed(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    await notify([org.rep_sh.id], "approval", "待审批: 差旅报销", "张伟", link_type="approval", link_id=4)
    [row] = await PushOutbox.filter(user_id=org.rep_sh.id)
    assert row.kind == "approval" and row.payload["url"] == "/app/approval/4"
