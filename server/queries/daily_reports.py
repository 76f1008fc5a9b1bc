"""Reading daily reports: a day's reports for a scope and who is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.access import Viewer
from server.errors import not_found
from server.models.visits import DailyReport
from server.paging import page
from server.queries.team import reps_among, scope_user_ids
from server.render.visits import render_daily_report


async def day_reports(
    viewer: Viewer, day: dt.date, *, department_id: int | None = None, user_id: int | None = None
) -> dict[str, Any]:
    """Reports for `day` from people in scope, and the reps in scope who sent none."""
    people = await scope_user_ids(viewer, user_id=user_id, department_id=department_id)
    reports = await DailyReport.filter(user_id__in=list(people), date=day).order_by("user_id")
    reported = {r.user_id for r in reports}
    missing = [u.id for u in await reps_among(people) if u.id not in reported]
    return {"date": day.isoformat(), **page([render_daily_report(r) for r in reports]), "missing": missing}


async def access_daily_report(viewer: Viewer, report_id: int) -> DailyReport:
    report = await DailyReport.get_or_none(id=report_id)
    if report is None or not viewer.sees_owner(report.user_id):
        raise not_found("daily report")
    return report


async def daily_report_answer(report: DailyReport) -> dict[str, Any]:
    history = await report.history.all().order_by("version")
    return render_daily_report(report, history)
