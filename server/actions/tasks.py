"""Creating, changing, postponing and deleting tasks and events.

Every change bumps `version`, emits `task.updated` (the rendered Task, or a
tombstone once deleted) to the creator and the assignee (and a previous
assignee), and keeps the assignee's reminder in step with `remind_at`. State
changes (accept, reject, complete, cancel, reopen) live in `task_states`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from server.access import Viewer
from server.actions.notify import notify
from server.actions.reminders import as_utc, cancel_reminders, schedule_reminder
from server.actions.versioning import check_version, soft_delete
from server.clock import utcnow
from server.errors import AppError, conflict, forbidden, invalid, invalid_field, not_found
from server.events import EventType
from server.i18n import Text
from server.models.identity import User
from server.models.tasks import Task
from server.queries.tasks import subject_visible, visible_tasks
from server.render.tasks import render_task
from server.transaction import atomic, emit

ACTIVE = ("pending", "open")
TIME_FIELDS = ("start_at", "due_at", "remind_at")
EDITABLE = ("kind", "title", "notes", "private", *TIME_FIELDS)


def announce(task: Task, also: Iterable[int] = ()) -> None:
    """`task.updated` to the creator, the assignee and `also`."""
    emit(EventType.TASK_UPDATED, {task.created_by_id, task.assignee_id, *also}, render_task(task))


async def sync_reminder(task: Task, *, explicit: bool = False) -> None:
    """Replace the assignee's pending reminder for the task with one at `remind_at`.

    A `remind_at` already past is scheduled (and fires at once) only when the
    caller just set it, or when a reminder for it had not fired yet; otherwise
    an edit of an old task would repeat a reminder that already went.
    """
    had_pending = await cancel_reminders("task", task.id) > 0
    if task.status not in ACTIVE or task.remind_at is None or task.deleted_at is not None:
        return
    if task.remind_at > utcnow() or explicit or had_pending:
        await schedule_reminder(
            task.assignee_id, "task", task.title, task.remind_at,
            due_at=task.due_at, link_type="task", link_id=task.id,
        )


def wrong_state(task: Task, done: str, allowed: Iterable[str]) -> AppError:
    """409 naming the states the change needs and the one the task is in."""
    needed = " or ".join(allowed)
    return conflict(f"Only a {needed} task can be {done}; this one is {task.status}.", status=task.status)


def may_edit(viewer: Viewer, task: Task) -> bool:
    """The creator, the assignee, and managers (admins) over either of them."""
    people = (task.created_by_id, task.assignee_id)
    return viewer.id in people or any(viewer.manages_user(p) for p in people)


def may_direct(viewer: Viewer, task: Task) -> bool:
    """Reassign, cancel or delete: the creator and managers (admins) over the creator."""
    return viewer.id == task.created_by_id or viewer.manages_user(task.created_by_id)


async def locked_task(viewer: Viewer, task_id: int) -> Task:
    """The visible task, row-locked for the rest of the transaction (404 otherwise)."""
    task = await visible_tasks(viewer).select_for_update().get_or_none(id=task_id)
    if task is None:
        raise not_found("task")
    return task


async def check_assignee(assignee_id: int) -> None:
    if not await User.exists(id=assignee_id, active=True):
        raise invalid_field("assignee_id", "is not an active colleague")


async def check_subject(viewer: Viewer, subject: dict[str, Any] | None) -> tuple[str | None, int | None]:
    if not subject or subject.get("type") is None:
        return None, None
    if not await subject_visible(viewer, subject["type"], subject["id"]):
        raise invalid({"subject": f"is not a {subject['type']} you can see"}, "The subject was not found.")
    return subject["type"], subject["id"]


def check_times(kind: str, start_at: dt.datetime | None, due_at: dt.datetime) -> None:
    if start_at is not None and start_at > due_at:
        raise invalid_field("start_at", "must not be after due_at")
    if kind == "event" and start_at is None:
        raise invalid_field("start_at", "is required for an event")


def utc_times(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (as_utc(v) if k in TIME_FIELDS and v is not None else v) for k, v in data.items()}


async def create_task(viewer: Viewer, data: dict[str, Any]) -> Task:
    """A task for the caller or a colleague; a colleague's starts `pending` and they are told."""
    data = utc_times(data)
    assignee_id = data.get("assignee_id") or viewer.id
    await check_assignee(assignee_id)
    subject_type, subject_id = await check_subject(viewer, data.get("subject"))
    check_times(data["kind"], data.get("start_at"), data["due_at"])
    async with atomic():
        task = await Task.create(
            **{name: data.get(name) for name in EDITABLE if data.get(name) is not None},
            assignee_id=assignee_id, created_by_id=viewer.id,
            status="open" if assignee_id == viewer.id else "pending",
            subject_type=subject_type, subject_id=subject_id,
        )
        await sync_reminder(task, explicit=True)
        if assignee_id != viewer.id:
            await tell_assignee(viewer, task)
        announce(task)
    return task


async def tell_assignee(viewer: Viewer, task: Task) -> None:
    await notify(
        [task.assignee_id], "task", Text("task.assigned", title=task.title),
        Text("task.assigned.body", author=viewer.user.name), link_type="task", link_id=task.id,
    )


async def update_task(viewer: Viewer, task_id: int, data: dict[str, Any], expected_version: int | None) -> Task:
    """Change fields; a new assignee gets it `pending` (unless it is the creator) and is told."""
    data = utc_times(data)
    if "assignee_id" in data:
        await check_assignee(data["assignee_id"])
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_edit(viewer, task):
            raise forbidden("Only the creator, the assignee or their manager may change this task.")
        check_version(task, expected_version)
        previous = task.assignee_id
        for name in EDITABLE:
            if name in data:
                setattr(task, name, data[name])
        task.notes = task.notes or ""
        if "subject" in data:
            task.subject_type, task.subject_id = await check_subject(viewer, data["subject"])
        check_times(task.kind, task.start_at, task.due_at)
        if "due_at" in data:
            task.escalated_at = None
        if data.get("assignee_id", previous) != previous:
            await reassign(viewer, task, data["assignee_id"])
        task.version += 1
        await task.save()
        await sync_reminder(task, explicit="remind_at" in data)
        announce(task, also=[previous])
    return task


async def reassign(viewer: Viewer, task: Task, assignee_id: int) -> None:
    if not may_direct(viewer, task):
        raise forbidden("Only the creator or their manager may give this task to someone else.")
    task.assignee_id = assignee_id
    task.reject_reason = None
    if task.status in ACTIVE:
        task.status = "open" if assignee_id in (task.created_by_id, viewer.id) else "pending"
    if assignee_id != viewer.id:
        await tell_assignee(viewer, task)


async def postpone_task(viewer: Viewer, task_id: int, until: dt.datetime) -> Task:
    """Move the due time to `until`; start and reminder move by the same amount."""
    until = as_utc(until)
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_edit(viewer, task):
            raise forbidden("Only the creator, the assignee or their manager may postpone this task.")
        if task.status not in ACTIVE:
            raise wrong_state(task, "postponed", ACTIVE)
        shift = until - task.due_at
        task.due_at = until
        task.start_at = task.start_at + shift if task.start_at else None
        task.remind_at = task.remind_at + shift if task.remind_at else None
        task.escalated_at = None
        task.version += 1
        await task.save()
        await sync_reminder(task)
        announce(task)
    return task


async def delete_task(viewer: Viewer, task_id: int, expected_version: int | None) -> Task:
    """Soft delete (phones sync a tombstone); its pending reminders are cancelled."""
    async with atomic():
        task = await locked_task(viewer, task_id)
        if not may_direct(viewer, task):
            raise forbidden("Only the creator or their manager may delete this task.")
        await soft_delete(task, expected_version)
        await cancel_reminders("task", task.id)
        announce(task)
    return task
