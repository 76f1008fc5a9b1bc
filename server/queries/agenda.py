"""A person's day: events, tasks due, follow-ups due, and what was already overdue.

The day is a date in the viewer's time zone (API.md: every `date=` is a day
in the caller's time zone), from local midnight to the next.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from server.access import Viewer
from server.clock import utcnow
from server.errors import not_found
from server.models.identity import User
from server.models.reminders import Reminder
from server.render import iso
from server.models.tasks import Task
from server.render.tasks import render_reminder, render_task

SHOWN = ("pending", "open", "done")  # rejected and cancelled ones are off the agenda
OPEN = ("pending", "open")


def day_bounds(date: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight, in UTC (days of 23 or 25 hours included)."""
    start = dt.datetime.combine(date, dt.time(), zone)
    end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)


def agenda_owner(viewer: Viewer, user_id: int | None) -> int:
    """Whose agenda: one's own, or (managers, admins) someone in scope; 404 otherwise."""
    if user_id is None or user_id == viewer.id:
        return viewer.id
    if not viewer.manages_user(user_id):
        raise not_found("user")
    return user_id


async def may_read_schedule(viewer: Viewer, user_id: int) -> User:
    """Whose schedule the viewer may read (销售易: 可查询他人的日程安排): their own,
    a colleague of the same department, anyone they manage; 404 otherwise."""
    user = await User.get_or_none(id=user_id, active=True)
    same_department = user is not None and user.department_id is not None and (
        user.department_id == viewer.user.department_id)
    if user is None or not (user.id == viewer.id or same_department or viewer.manages_user(user.id)):
        raise not_found("user")
    return user


async def schedule(viewer: Viewer, user_id: int, date: dt.date | None) -> dict[str, Any]:
    """A colleague's day as busy times: events and tasks with their times and
    status, titles only of those not marked private; nothing else of them."""
    owner = await may_read_schedule(viewer, user_id)
    zone = ZoneInfo(viewer.user.timezone)
    date = date or utcnow().astimezone(zone).date()
    start, end = day_bounds(date, zone)
    theirs = Task.filter(assignee_id=owner.id, deleted_at=None, status__in=SHOWN)
    events = await theirs.filter(kind="event", start_at__lt=end, due_at__gte=start).order_by("start_at", "id")
    tasks = await theirs.filter(kind="task", due_at__gte=start, due_at__lt=end).order_by("due_at", "id")
    return {
        "date": date.isoformat(), "timezone": zone.key, "user_id": owner.id,
        "busy": [_busy(t) for t in [*events, *tasks]],
    }


def _busy(task: Task) -> dict[str, Any]:
    return {
        "kind": task.kind, "start_at": iso(task.start_at), "due_at": iso(task.due_at), "status": task.status,
        "private": task.private, "title": None if task.private else task.title,
    }


async def agenda(viewer: Viewer, date: dt.date | None, user_id: int | None) -> dict[str, Any]:
    owner = agenda_owner(viewer, user_id)
    zone = ZoneInfo(viewer.user.timezone)
    date = date or utcnow().astimezone(zone).date()
    start, end = day_bounds(date, zone)
    mine = Task.filter(assignee_id=owner, deleted_at=None)
    events = await mine.filter(kind="event", status__in=SHOWN, start_at__lt=end, due_at__gte=start).order_by("start_at", "id")
    tasks = await mine.filter(kind="task", status__in=SHOWN, due_at__gte=start, due_at__lt=end).order_by("due_at", "id")
    overdue = await mine.filter(kind="task", status__in=OPEN, due_at__lt=start).order_by("due_at", "id")
    follow_ups = await Reminder.filter(
        user_id=owner, kind="follow_up", status__in=("scheduled", "fired"), due_at__gte=start, due_at__lt=end
    ).order_by("due_at", "id")
    return {
        "date": date.isoformat(), "timezone": zone.key, "user_id": owner,
        "events": [render_task(t) for t in events], "tasks": [render_task(t) for t in tasks],
        "follow_ups": [render_reminder(r) for r in follow_ups], "overdue": [render_task(t) for t in overdue],
    }
