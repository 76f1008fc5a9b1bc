"""Tasks and events: create, list (delta sync), change, accept or reject, complete,
cancel, reopen, postpone; and a person's agenda for a day."""

from __future__ import annotations

from typing import Any

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import tasks as s
from server.actions import task_states, tasks
from server.queries import agenda as agenda_q
from server.queries import tasks as q
from server.render.tasks import render_task


@api.post("/api/v1/tasks", body=s.TaskIn, response=s.Task, status=201, idempotent=True, errors=(422,))
async def create_task(call: Call) -> Any:
    """A task or event for the caller or a colleague (someone else's starts `pending`)."""
    return render_task(await tasks.create_task(call.viewer, call.body.model_dump()))


@api.get("/api/v1/tasks", query=s.TasksQuery, response=s.TaskList)
async def list_tasks(call: Call) -> Any:
    """Tasks the caller created or was given (a manager: also the team's); `updated_since` includes tombstones.

    `subject_type` and `subject_id` list only the tasks linked to that record."""
    query = call.query
    return await q.list_tasks(
        call.viewer, limit=query.limit, cursor=query.cursor, assignee_id=query.assignee_id,
        status=query.status, due_before=query.due_before, updated_since=query.updated_since,
        subject_type=query.subject_type, subject_id=query.subject_id,
    )


@api.get("/api/v1/tasks/{id:int}", response=s.Task)
async def get_task(call: Call) -> Any:
    """One task."""
    return render_task(await q.access_task(call.viewer, call["id"]))


@api.patch("/api/v1/tasks/{id:int}", body=s.TaskPatchIn, response=s.Task, errors=(403, 409, 422))
async def update_task(call: Call) -> Any:
    """Change a task (creator, assignee or their manager); `If-Match` → 409 `stale_version`."""
    data = call.changes()
    return render_task(await tasks.update_task(call.viewer, call["id"], data, if_match(call.request)))


@api.delete("/api/v1/tasks/{id:int}", status=204, errors=(403, 409))
async def delete_task(call: Call) -> Any:
    """Delete a task (creator or their manager); its reminders are cancelled."""
    await tasks.delete_task(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/tasks/{id:int}/accept", response=s.Task, errors=(403, 409))
async def accept_task(call: Call) -> Any:
    """The assignee accepts a pending task (→ open); the creator is told."""
    return render_task(await task_states.accept_task(call.viewer, call["id"]))


@api.post("/api/v1/tasks/{id:int}/reject", body=s.RejectIn, response=s.Task, errors=(403, 409))
async def reject_task(call: Call) -> Any:
    """The assignee rejects a pending task with a reason (→ rejected); the creator is told."""
    return render_task(await task_states.reject_task(call.viewer, call["id"], call.body.reason))


@api.post("/api/v1/tasks/{id:int}/complete", response=s.Task, errors=(403, 409))
async def complete_task(call: Call) -> Any:
    """Mark a pending or open task done."""
    return render_task(await task_states.complete_task(call.viewer, call["id"]))


@api.post("/api/v1/tasks/{id:int}/cancel", response=s.Task, errors=(403, 409))
async def cancel_task(call: Call) -> Any:
    """The creator (or their manager) calls a pending or open task off; the assignee is told."""
    return render_task(await task_states.cancel_task(call.viewer, call["id"]))


@api.post("/api/v1/tasks/{id:int}/reopen", response=s.Task, errors=(403, 409))
async def reopen_task(call: Call) -> Any:
    """Done → open; cancelled or rejected → pending (open when self-assigned)."""
    return render_task(await task_states.reopen_task(call.viewer, call["id"]))


@api.post("/api/v1/tasks/{id:int}/postpone", body=s.PostponeIn, response=s.Task, errors=(403, 409))
async def postpone_task(call: Call) -> Any:
    """Move the due time; the start and the reminder move with it."""
    return render_task(await tasks.postpone_task(call.viewer, call["id"], call.body.until))


@api.get("/api/v1/users/{id:int}/schedule", query=s.ScheduleQuery, response=s.Schedule)
async def schedule(call: Call) -> Any:
    """A colleague's day as busy times (the same department, or someone the caller manages):
    events and tasks with times and status, titles only of those not marked private."""
    return await agenda_q.schedule(call.viewer, call["id"], call.query.date)


@api.get("/api/v1/agenda", query=s.AgendaQuery, response=s.Agenda)
async def agenda(call: Call) -> Any:
    """A day in the caller's time zone: events, tasks due, follow-ups due, overdue tasks."""
    return await agenda_q.agenda(call.viewer, call.query.date, call.query.user_id)
