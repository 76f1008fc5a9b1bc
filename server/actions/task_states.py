"""A task's life: accept or reject (the assignee), complete, cancel, reopen.

    pending ──accept──▶ open ──complete──▶ done
       │                 │                  │
       └──reject──▶ rejected     cancel ─▶ cancelled
    (pending and open can be completed or cancelled; reopen brings done and
     cancelled back to open, or to pending while the assignee has not accepted,
     and a rejected task back to pending so the assignee can decide again)

A change from a state that does not allow it is 409 `conflict` naming both.
"""

from __future__ import annotations

from server.access import Viewer
from server.actions.notify import notify
from server.actions.tasks import (
    ACTIVE,
    announce,
    locked_task,
    may_direct,
    may_edit,
    sync_reminder,
    wrong_state,
)
from server.clock import utcnow
from server.errors import forbidden, invalid_field
from server.i18n import Text
from server.models.tasks import Task
from server.transaction import atomic


async def _tell(user_id: int, actor: Viewer, task: Task, title: Text, body: str | Text = "") -> None:
    if user_id != actor.id:
        await notify([user_id], "task", title, body, link_type="task", link_id=task.id)


async def _save(task: Task, status: str) -> None:
    task.status = status
    task.completed_at = utcnow() if status == "done" else None
    task.version += 1
    await task.save()
    await sync_reminder(task)
    announce(task)


async def accept_task(viewer: Viewer, task_id: int) -> Task:
    """The assignee takes a pending task on; the creator is told."""
    async with atomic():
        task = await locked_task(viewer, task_id)
        if viewer.id != task.assignee_id:
            raise forbidden("Only the assignee may accept this task.")
        if task.status != "pending":
            raise wrong_state(task, "accepted", ["pending"])
        await _save(task, "open")
        await _tell(task.created_by_id, viewer, task, Text("task.accepted", actor=viewer.user.name, title=task.title))
    return task


async def reject_task(viewer: Viewer, task_id: int, reason: str) -> Task:
    """The assignee turns a pending task down, saying why; the creator is told."""
    if not reason.strip():
        raise invalid_field("reason", "must say why the task is rejected")
    async with atomic():
        task = await locked_task(viewer, task_id)
        if viewer.id != task.assignee_id:
            raise forbidden("Only the assignee may reject this task.")
        if task.status != "pending":
            raise wrong_state(task, "rejected", ["pending"])
        task.reject_reason = reason.strip()
        await _save(task, "rejected")
        await _tell(task.created_by_id, viewer, task, Text("task.rejected", actor=viewer.user.name, title=task.title),
                    task.reject_reason)
    return task


async def complete_task(viewer: Viewer, task_id: int) -> Task:
    """Done, by the assignee, the creator or their manager; the creator is told."""
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_edit(viewer, task):
            raise forbidden("Only the creator, the assignee or their manager may complete this task.")
        if task.status not in ACTIVE:
            raise wrong_state(task, "completed", ACTIVE)
        await _save(task, "done")
        await _tell(task.created_by_id, viewer, task, Text("task.done", title=task.title),
                    Text("task.done.body", actor=viewer.user.name))
    return task


async def cancel_task(viewer: Viewer, task_id: int) -> Task:
    """Called off by the creator or their manager; the assignee is told."""
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_direct(viewer, task):
            raise forbidden("Only the creator or their manager may cancel this task.")
        if task.status not in ACTIVE:
            raise wrong_state(task, "cancelled", ACTIVE)
        await _save(task, "cancelled")
        await _tell(task.assignee_id, viewer, task, Text("task.cancelled", title=task.title),
                    Text("task.cancelled.body", actor=viewer.user.name))
    return task


def _reopened_status(task: Task) -> str:
    if task.assignee_id == task.created_by_id:
        return "open"
    return "open" if task.status == "done" else "pending"


async def reopen_task(viewer: Viewer, task_id: int) -> Task:
    """Back to work: done → open; cancelled or rejected → pending (open if self-assigned)."""
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_edit(viewer, task):
            raise forbidden("Only the creator, the assignee or their manager may reopen this task.")
        if task.status in ACTIVE:
            raise wrong_state(task, "reopened", ["done", "cancelled", "rejected"])
        task.reject_reason = None
        await _save(task, _reopened_status(task))
        if task.status == "pending":
            await _tell(task.assignee_id, viewer, task, Text("task.again", title=task.title),
                        Text("task.again.body"))
    return task
