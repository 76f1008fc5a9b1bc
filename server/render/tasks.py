"""Tasks and reminders as the API shows them (REST answers and event payloads)."""

from __future__ import annotations

from typing import Any

from server.events import TaskPayload, Tombstone
from server.models.reminders import Reminder
from server.models.tasks import Task
from server.paging import tombstone
from server.render import iso


def render_task(task: Task) -> TaskPayload | Tombstone:
    if task.deleted_at is not None:
        return tombstone(task.id)
    return {
        "id": task.id,
        "kind": task.kind,
        "title": task.title,
        "notes": task.notes,
        "start_at": iso(task.start_at),
        "due_at": iso(task.due_at),
        "remind_at": iso(task.remind_at),
        "assignee_id": task.assignee_id,
        "created_by": task.created_by_id,
        "status": task.status,
        "subject": {"type": task.subject_type, "id": task.subject_id},
        "private": task.private,
        "reject_reason": task.reject_reason,
        "completed_at": iso(task.completed_at),
        "created_at": iso(task.created_at),
        "updated_at": iso(task.updated_at),
        "version": task.version,
    }


def render_reminder(reminder: Reminder) -> dict[str, Any]:
    return {
        "id": reminder.id,
        "kind": reminder.kind,
        "title": reminder.title,
        "due_at": iso(reminder.due_at),
        "fire_at": iso(reminder.fire_at),
        "link": {"type": reminder.link_type, "id": reminder.link_id},
        "status": reminder.status,
        "fired_at": iso(reminder.fired_at),
        "late": reminder.late,
        "created_at": iso(reminder.created_at),
    }
