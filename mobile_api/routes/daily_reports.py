"""Daily reports: one per person per day, with the day's figures attached."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, Reply, api
from mobile_api.schemas import reports as s
from server.actions.daily_reports import submit_daily_report
from server.clock import utcnow
from server.localdays import local_date
from server.queries import daily_reports as q


@api.post("/api/v1/daily-reports", body=s.DailyReportIn, response=s.DailyReport, status=201, also=(200,),
          idempotent=True)
async def submit_report(call: Call) -> Any:
    """Submit the day's report: 201 the first time, 200 for a resubmission (old text kept as history)."""
    report, created = await submit_daily_report(call.viewer, call.body.model_dump())
    return Reply(await q.daily_report_answer(report), 201 if created else 200)


@api.get("/api/v1/daily-reports", query=s.DailyReportsQuery, response=s.DailyReportDay, errors=(403,))
async def day_reports(call: Call) -> Any:
    """A day's reports in the caller's scope, and the reps who have not reported (`missing`)."""
    query = call.query
    day = query.date or local_date(utcnow(), call.viewer.user.timezone)
    return await q.day_reports(call.viewer, day, department_id=query.department_id, user_id=query.user_id)


@api.get("/api/v1/daily-reports/{id:int}", response=s.DailyReport)
async def get_report(call: Call) -> Any:
    """One report with its earlier versions (`history`)."""
    return await q.daily_report_answer(await q.access_daily_report(call.viewer, call["id"]))
