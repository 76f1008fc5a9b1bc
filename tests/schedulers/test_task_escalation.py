"""Overdue tasks are escalated to the assignee's managers once, across processes."""

from __future__ import annotations

import asyncio
import datetime as dt

from server.access import viewer_for
from server.actions.task_escalation import escalate_overdue_tasks
from server.actions.task_states import complete_task
from server.actions.tasks import create_task, postpone_task
from server.clock import utcnow
from server.models.notifications import Notification
from server.models.tasks import Task


async def task_for(user, title: str, hours_overdue: float) -> Task:
    viewer = await viewer_for(user)
    return await create_task(viewer, {"kind": "task", "title": title, "due_at": utcnow() - dt.timedelta(hours=hours_overdue)})


async def escalations(user_id: int) -> list[tuple[str, int]]:
    rows = await Notification.filter(user_id=user_id, kind="task").order_by("id")
    return [(n.title, n.link_id) for n in rows]


async def test_a_task_overdue_past_the_threshold_tells_the_managers_once(org):
    overdue = await task_for(org.rep_sh, "Send the Ruili quote", 25)
    await task_for(org.rep_sh, "Only a little late", 2)
    assert await escalate_overdue_tasks() == 1
    assert await escalate_overdue_tasks() == 0
    # East ⊃ East Shanghai: the East manager is the rep's manager; West's is not.
    assert await escalations(org.manager_east.id) == [("已逾期：Send the Ruili quote", overdue.id)]
    assert await escalations(org.manager_west.id) == []
    assert await escalations(org.rep_sh.id) == []
    assert (await Task.get(id=overdue.id)).escalated_at is not None


async def test_done_tasks_are_not_escalated_and_postponing_rearms(org):
    rep = await viewer_for(org.rep_east1)
    done = await task_for(org.rep_east1, "Finished late", 30)
    await complete_task(rep, done.id)
    moved = await task_for(org.rep_east1, "Moved", 30)
    await escalate_overdue_tasks()
    assert await escalations(org.manager_east.id) == [("已逾期：Moved", moved.id)]
    await postpone_task(rep, moved.id, utcnow() - dt.timedelta(hours=26))
    assert (await Task.get(id=moved.id)).escalated_at is None
    await escalate_overdue_tasks()
    assert await escalations(org.manager_east.id) == [("已逾期：Moved", moved.id)] * 2


async def test_concurrent_escalation_runs_notify_once_per_task(org):
    tasks = [await task_for(org.rep_east2, f"Late {i}", 48) for i in range(12)]
    counts = await asyncio.gather(*(escalate_overdue_tasks(limit=5) for _ in range(4)))
    while await escalate_overdue_tasks(limit=5):
        pass
    assert sum(counts) <= 12
    notes = await escalations(org.manager_east.id)
    assert sorted(link for _, link in notes) == sorted(t.id for t in tasks)


async def test_the_threshold_comes_from_the_setting(org, settings):
    from server.settings import use_settings

    await task_for(org.rep_west, "Two hours late", 2)
    use_settings(settings.replace(overdue_escalation_hours=1.0))
    try:
        assert await escalate_overdue_tasks() == 1
    finally:
        use_settings(settings)
    assert [t for t, _ in await escalations(org.manager_west.id)] == ["已逾期：Two hours late"]
