"""Notifications are written in each recipient's language, their times on the
recipient's clock: one zh-CN and one en reader for every kind the server writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from server.clock import utcnow
from tests.support.customers import make_customer

AT = dt.datetime(2026, 12, 4, 10, 5, tzinfo=dt.timezone.utc)  # 18:05 in Shanghai, 11:05 in Berlin


@pytest.fixture
def test_env(test_env: dict[str, str]) -> dict[str, str]:
    """The report deadline at its default, 18:00, where these tests set the clock by hand
    (the suite's other tests keep it out of the way, tests/conftest.py)."""
    return {**test_env, "FIELDLINE_DAILY_REPORT_DEADLINE": "18:00"}


async def speak(org: Any, who: str, language: str, timezone: str | None = None) -> None:
    body = {"language": language, **({"timezone": timezone} if timezone else {})}
    answer = await org.patch(who, "/api/v1/me", body)
    assert answer.status_code == 200, answer.text


async def inbox(org: Any, who: str, kind: str) -> list[tuple[str, str]]:
    answer = await org.get(who, f"/api/v1/notifications?kind={kind}")
    assert answer.status_code == 200, answer.text
    return [(n["title"], n["body"]) for n in reversed(answer.json()["items"])]


async def test_post_and_comment_mentions_and_comments(org):
    await speak(org, "rep_east2", "en")
    post = (await org.post("rep_east1", "/api/v1/posts", {"body": "@李娜 @王经理 报价已发"})).json()
    assert await inbox(org, "rep_east2", "mention") == [("张伟 mentioned you", "@李娜 @王经理 报价已发")]
    assert await inbox(org, "manager_east", "mention") == [("张伟 在工作圈提到了你", "@李娜 @王经理 报价已发")]
    path = f"/api/v1/posts/{post['id']}/comments"
    assert (await org.post("rep_east2", path, {"body": "收到"})).status_code == 201
    assert (await org.post("manager_east", path, {"body": "@李娜 跟进"})).status_code == 201
    assert await inbox(org, "rep_east1", "comment") == [("李娜 发表了评论", "收到"), ("王经理 发表了评论", "@李娜 跟进")]
    assert await inbox(org, "rep_east2", "mention") == [
        ("张伟 mentioned you", "@李娜 @王经理 报价已发"), ("王经理 mentioned you in a comment", "@李娜 跟进")]


async def test_chat_mentions(org):
    await speak(org, "rep_east2", "en")
    made = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "华东周会", "member_ids": [org.rep_east2.id, org.manager_east.id]})
    path = f"/api/v1/conversations/{made.json()['id']}/messages"
    assert (await org.post("rep_east1", path, {"client_id": "m-1", "body": "@李娜 @王经理 九点"})).status_code == 201
    assert await inbox(org, "rep_east2", "mention") == [("张伟 mentioned you in 华东周会", "@李娜 @王经理 九点")]
    assert await inbox(org, "manager_east", "mention") == [("张伟 在「华东周会」中提到了你", "@李娜 @王经理 九点")]


async def test_task_assignment_and_its_answers(org):
    await speak(org, "rep_east1", "en")
    due = (utcnow() + dt.timedelta(days=2)).isoformat()
    task = (await org.post("manager_east", "/api/v1/tasks",
                           {"title": "报价 Ruili", "due_at": due, "assignee_id": org.rep_east1.id})).json()
    assert await inbox(org, "rep_east1", "task") == [
        ("New task: 报价 Ruili", "王经理 gave you a task; accept or reject it.")]
    assert (await org.post("rep_east1", f"/api/v1/tasks/{task['id']}/accept")).status_code == 200
    assert (await org.post("rep_east1", f"/api/v1/tasks/{task['id']}/complete")).status_code == 200
    assert await inbox(org, "manager_east", "task") == [
        ("张伟 接受了：报价 Ruili", ""), ("已完成：报价 Ruili", "张伟 完成了这项任务。")]
    for step in ("reopen", "cancel", "reopen"):  # done → open → cancelled → pending again
        assert (await org.post("manager_east", f"/api/v1/tasks/{task['id']}/{step}")).status_code == 200
    assert (await inbox(org, "rep_east1", "task"))[1:] == [
        ("Cancelled: 报价 Ruili", "王经理 cancelled it."), ("Task again: 报价 Ruili", "Accept or reject it.")]


async def test_reminders_say_when_on_the_readers_clock(org):
    from server.actions.reminder_firing import fire_due_reminders
    from server.actions.reminders import schedule_reminder

    await speak(org, "rep_west", "en", "Europe/Berlin")
    fire_at = utcnow() - dt.timedelta(minutes=1)
    for user in (org.rep_west, org.rep_east1):
        await schedule_reminder(user.id, "task", "Ruili 报价", fire_at, due_at=AT, link_type="task", link_id=1)
        await schedule_reminder(user.id, "follow_up", "瑞丽服装", fire_at, due_at=AT, link_type="activity", link_id=2)
    assert await fire_due_reminders("test") == 4
    assert await inbox(org, "rep_west", "reminder") == [
        ("Ruili 报价", "A task is coming due (Dec 4, 2026 11:05)."),
        ("瑞丽服装", "Time to follow up (Dec 4, 2026 11:05).")]
    assert await inbox(org, "rep_east1", "reminder") == [
        ("Ruili 报价", "任务即将到期（2026年12月4日 18:05）。"), ("瑞丽服装", "该跟进客户了（2026年12月4日 18:05）。")]


async def test_daily_report_reminders(org):
    from server.actions.daily_reports import remind_missing_daily_reports
    from server.actions.reminder_firing import fire_due_reminders

    await speak(org, "rep_west", "en")
    now = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone.utc)  # 17:30 in Shanghai: 30 minutes to go
    assert await remind_missing_daily_reports(now) == 4
    assert await fire_due_reminders("test", now=now) == 4
    assert await inbox(org, "rep_west", "reminder") == [
        ("Daily report for Nov 25, 2026", "Your daily report is due at Nov 25, 2026 18:00.")]
    assert await inbox(org, "rep_sh", "reminder") == [("2026年11月25日的日报", "日报请在 2026年11月25日 18:00 前提交。")]


async def test_overdue_escalations(org):
    from server.access import viewer_for
    from server.actions.task_escalation import escalate_overdue_tasks
    from server.actions.tasks import create_task

    await speak(org, "manager_west", "en", "America/Los_Angeles")
    due = dt.datetime(2026, 1, 2, 4, 0, tzinfo=dt.timezone.utc)  # 12:00 in Shanghai, 20:00 the day before in LA
    for rep in (org.rep_sh, org.rep_west):
        await create_task(await viewer_for(rep), {"kind": "task", "title": f"{rep.name} 报价", "due_at": due})
    assert await escalate_overdue_tasks() == 2
    assert await inbox(org, "manager_west", "task") == [
        ("Overdue: Will West 报价", "A task in your team is overdue (it was due Jan 1, 2026 20:00).")]
    assert await inbox(org, "manager_east", "task") == [
        ("已逾期：王芳 报价", "你团队的一项任务已逾期（截止于 2026年1月2日 12:00）。")]


async def test_customer_shared_and_transferred(org):
    await speak(org, "rep_west", "en")
    customer = await make_customer(org, "rep_sh", "申城建材")
    share = await org.post("rep_sh", f"/api/v1/customers/{customer['id']}/share",
                           {"user_ids": [org.rep_west.id, org.rep_east1.id]})
    assert share.status_code == 200
    assert await inbox(org, "rep_west", "system") == [("Customer shared with you: 申城建材", "")]
    assert await inbox(org, "rep_east1", "system") == [("客户共享给你: 申城建材", "")]
    moved = await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    assert moved.status_code == 200
    assert (await inbox(org, "rep_west", "system"))[-1] == ("Customer transferred to you: 申城建材", "")


async def test_a_language_change_applies_to_what_comes_next(org, event_log):
    """What was written stays as written; the socket carries the new language at once."""
    await org.post("rep_east1", "/api/v1/posts", {"body": "@李娜 一"})
    await speak(org, "rep_east2", "en")
    await org.post("rep_east1", "/api/v1/posts", {"body": "@李娜 two"})
    assert [t for t, _ in await inbox(org, "rep_east2", "mention")] == ["张伟 在工作圈提到了你", "张伟 mentioned you"]
    live = [e["data"]["title"] for e in await event_log(org.rep_east2.id) if e["type"] == "notification.new"]
    assert live == ["张伟 在工作圈提到了你", "张伟 mentioned you"]
