"""Who sees which tasks, and reading them.

A person sees the tasks they created or were given; a manager also sees the
tasks created by or given to anyone in the departments they manage; an admin
sees all. Soft-deleted tasks appear only as delta-sync tombstones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import not_found
from server.models.customers import Opportunity
from server.models.tasks import Task
from server.paging import changed_since, newest_first, page
from server.queries.customers import visible_customers
from server.render.tasks import render_task


def visibility_q(viewer: Viewer) -> Q | None:
    """The condition on `tasks` rows this viewer may see; None means all."""
    people = viewer.owner_ids()
    if people is None:
        return None
    return Q(assignee_id__in=sorted(people)) | Q(created_by_id__in=sorted(people))


def visible_tasks(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Task]:
    qs = Task.all() if include_deleted else Task.filter(deleted_at=None)
    condition = visibility_q(viewer)
    return qs if condition is None else qs.filter(condition)


async def access_task(viewer: Viewer, task_id: int) -> Task:
    """The task, or 404 when it does not exist, is deleted or is not visible."""
    task = await visible_tasks(viewer).get_or_none(id=task_id)
    if task is None:
        raise not_found("task")
    return task


async def list_tasks(
    viewer: Viewer, *, limit: int, cursor: str | None, assignee_id: int | None = None,
    status: str | None = None, due_before: dt.datetime | None = None,
    updated_since: dt.datetime | None = None, subject_type: str | None = None, subject_id: int | None = None,
) -> dict[str, Any]:
    """Newest first; with `updated_since`, every change in order, tombstones included.

    `subject_type` (and `subject_id`) narrow the list to the tasks linked to
    records of that type (to that record); only tasks the viewer sees anyway.
    """
    qs = visible_tasks(viewer, include_deleted=updated_since is not None)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if status is not None:
        qs = qs.filter(status=status)
    if subject_type is not None:
        qs = qs.filter(subject_type=subject_type)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if due_before is not None:
        qs = qs.filter(due_at__lt=due_before.astimezone(dt.timezone.utc))
    if updated_since is not None:
        rows, next_cursor = await changed_since(qs, updated_since, limit, cursor)
    else:
        rows, next_cursor = await newest_first(qs, limit, cursor)
    return page([render_task(t) for t in rows], next_cursor)


async def subject_visible(viewer: Viewer, subject_type: str, subject_id: int) -> bool:
    """The customer or opportunity exists, is not deleted and the viewer may see it."""
    customers = visible_customers(viewer)
    if subject_type == "customer":
        return await customers.filter(id=subject_id).exists()
    if subject_type == "opportunity":
        return await Opportunity.filter(
            id=subject_id, deleted_at=None, customer_id__in=Subquery(customers.values("id"))
        ).exists()
    return False

