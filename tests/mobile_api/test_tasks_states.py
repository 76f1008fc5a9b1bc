"""A task's life: accept, reject with a reason, complete, cancel, reopen, postpone —
who may, from which state, and who hears about it."""

from __future__ import annotations

import datetime as dt

from server.clock import utcnow
from server.models.notifications import Notification
from server.models.reminders import Reminder


def at(hours: float) -> dt.datetime:
    return utcnow() + dt.timedelta(hours=hours)


async def given(org, creator: str = "manager_east", assignee: str = "rep_east1", **fields) -> dict:
    body = {"title": "Quote for Huanan Logistics", "due_at": at(24).isoformat(), "assignee_id": org.users[assignee].id, **fields}
    response = await org.post(creator, "/api/v1/tasks", body)
    assert response.status_code == 201, response.text
    return response.json()


async def act(org, who: str, task: dict, verb: str, body: dict | None = None):
    return await org.post(who, f"/api/v1/tasks/{task['id']}/{verb}", body)


async def task_notes(user_id: int) -> list[tuple[str, str]]:
    rows = await Notification.filter(user_id=user_id, kind="task").order_by("id")
    return [(n.title, n.body) for n in rows]


async def test_accept_opens_it_and_tells_the_creator(org, event_log):
    task = await given(org)
    assert (await act(org, "manager_east", task, "accept")).status_code == 403
    accepted = await act(org, "rep_east1", task, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "open"
    assert await task_notes(org.manager_east.id) == [("张伟 接受了：Quote for Huanan Logistics", "")]
    again = await act(org, "rep_east1", task, "accept")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "conflict", "message": "Only a pending task can be accepted; this one is open.",
        "details": {"status": "open"},
    }
    updates = [e["data"] for e in await event_log(org.manager_east.id) if e["type"] == "task.updated"]
    assert [u["status"] for u in updates] == ["pending", "open"]


async def test_reject_needs_a_reason_and_tells_the_creator_why(org):
    task = await given(org, remind_at=at(2).isoformat())
    assert (await act(org, "rep_east1", task, "reject", {"reason": ""})).status_code == 422
    assert (await act(org, "rep_east1", task, "reject", {"reason": "   "})).status_code == 422
    assert (await act(org, "rep_east1", task, "reject", {})).status_code == 422
    rejected = await act(org, "rep_east1", task, "reject", {"reason": "On leave that week"})
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["reject_reason"]) == ("rejected", "On leave that week")
    assert await task_notes(org.manager_east.id) == [("张伟 拒绝了：Quote for Huanan Logistics", "On leave that week")]
    assert await Reminder.filter(link_id=task["id"], status="scheduled").count() == 0
    completing = await act(org, "rep_east1", task, "complete")
    assert completing.status_code == 409
    assert completing.json()["error"]["message"] == "Only a pending or open task can be completed; this one is rejected."


async def test_complete_then_reopen_then_complete(org):
    task = await given(org)
    await act(org, "rep_east1", task, "accept")
    done = await act(org, "rep_east1", task, "complete")
    assert done.status_code == 200
    assert done.json()["status"] == "done" and done.json()["completed_at"] is not None
    assert ("已完成：Quote for Huanan Logistics", "张伟 完成了这项任务。") in await task_notes(org.manager_east.id)
    assert (await act(org, "rep_east1", task, "accept")).status_code == 409
    assert (await act(org, "rep_east1", task, "complete")).status_code == 409
    reopened = await act(org, "rep_east1", task, "reopen")
    assert (reopened.json()["status"], reopened.json()["completed_at"]) == ("open", None)
    assert (await act(org, "rep_east1", task, "reopen")).status_code == 409
    assert (await act(org, "rep_east1", task, "complete")).json()["status"] == "done"


async def test_cancel_by_the_creator_only_and_reopen_to_pending(org):
    task = await given(org)
    assert (await act(org, "rep_east1", task, "cancel")).status_code == 403
    assert (await act(org, "rep_east2", task, "cancel")).status_code == 404
    cancelled = await act(org, "manager_east", task, "cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert ("已取消：Quote for Huanan Logistics", "王经理 取消了这项任务。") in await task_notes(org.rep_east1.id)
    assert (await act(org, "manager_east", task, "cancel")).status_code == 409
    assert (await act(org, "manager_east", task, "reopen")).json()["status"] == "pending"


async def test_a_rejected_task_reopens_as_pending_for_the_assignee(org):
    task = await given(org)
    await act(org, "rep_east1", task, "reject", {"reason": "Not my region"})
    reopened = await act(org, "manager_east", task, "reopen")
    assert (reopened.json()["status"], reopened.json()["reject_reason"]) == ("pending", None)
    assert (await act(org, "rep_east1", task, "accept")).json()["status"] == "open"


async def test_a_self_assigned_task_reopens_open(org):
    task = await given(org, creator="rep_sh", assignee="rep_sh")
    assert task["status"] == "open"
    assert (await act(org, "rep_sh", task, "cancel")).json()["status"] == "cancelled"
    assert (await act(org, "rep_sh", task, "reopen")).json()["status"] == "open"


async def test_postpone_moves_due_start_and_reminder_together(org):
    due, remind, start = at(3), at(2), at(2.5)
    task = await given(org, creator="rep_west", assignee="rep_west", kind="event",
                       start_at=start.isoformat(), due_at=due.isoformat(), remind_at=remind.isoformat())
    until = due + dt.timedelta(days=1)
    moved = await act(org, "rep_west", task, "postpone", {"until": until.isoformat()})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert dt.datetime.fromisoformat(body["due_at"]) == until
    assert dt.datetime.fromisoformat(body["remind_at"]) == remind + dt.timedelta(days=1)
    assert dt.datetime.fromisoformat(body["start_at"]) == start + dt.timedelta(days=1)
    reminder = await Reminder.get(link_type="task", link_id=task["id"], status="scheduled")
    assert reminder.fire_at == remind + dt.timedelta(days=1)
    assert reminder.due_at == until
    assert (await act(org, "rep_west", task, "postpone", {"until": "tomorrow"})).status_code == 422
    await act(org, "rep_west", task, "complete")
    assert (await act(org, "rep_west", task, "postpone", {"until": until.isoformat()})).status_code == 409


async def test_postpone_in_another_zone_keeps_the_instant(org):
    task = await given(org, creator="rep_sh", assignee="rep_sh")
    until = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    moved = (await act(org, "rep_sh", task, "postpone", {"until": until.isoformat()})).json()
    assert moved["due_at"] == "2026-12-01T01:30:00+00:00"
