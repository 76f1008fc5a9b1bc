"""Demo tasks, events and reminders for `make run`: a manager's assignments
(one accepted, one turned down, one still pending), reps' own to-dos and a
customer visit on the calendar, each with a reminder. Runs after the demo
customers, so tasks can be about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldline.demo import DemoOrg
from server.access import viewer_for
from server.actions.task_states import accept_task, complete_task, reject_task
from server.actions.tasks import create_task
from server.clock import utcnow
from server.models.customers import Customer
from server.models.identity import User


def _hours(hours: float) -> dt.datetime:
    return (utcnow() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


async def _subject(rep: User) -> dict[str, Any] | None:
    customer = await Customer.filter(owner_id=rep.id, deleted_at=None).order_by("id").first()
    return {"type": "customer", "id": customer.id} if customer else None


async def _task(creator: User, title: str, due_h: float, **extra: Any) -> Any:
    data = {"kind": "task", "title": title, "due_at": _hours(due_h), **extra}
    return await create_task(await viewer_for(creator), data)


async def seed(org: DemoOrg) -> None:
    manager, reps = org.managers[0], org.reps
    first, second, third = reps[0], reps[1], reps[2]
    quote = await _task(manager, "给瑞丽服装报冬季工装价格 Send the winter uniform quote", 26,
                        assignee_id=first.id, remind_at=_hours(24), notes="附上面料样册 with fabric samples",
                        subject=await _subject(first))
    await accept_task(await viewer_for(first), quote.id)
    survey = await _task(manager, "整理华东区客户回访名单 Customer call-back list", 50, assignee_id=second.id)
    await reject_task(await viewer_for(second), survey.id, "本周在广州出差 Travelling in Guangzhou this week")
    await _task(manager, "更新季度销售预测 Update the quarterly forecast", 72, assignee_id=third.id, remind_at=_hours(48))
    own = await _task(first, "回复恒通物流的邮件 Answer Hengtong Logistics", 3, remind_at=_hours(2))
    await complete_task(await viewer_for(first), own.id)
    await _task(first, "准备周会材料 Prepare the weekly meeting", 20, remind_at=_hours(19))
    await _task(third, "拜访客户 Customer visit", 28, kind="event", start_at=_hours(26),
                remind_at=_hours(25), subject=await _subject(third))
    for rep in reps[3:]:
        await _task(rep, "跟进上周报价 Follow up last week's quotes", 30, remind_at=_hours(29))
