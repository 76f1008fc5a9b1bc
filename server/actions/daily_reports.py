"""Submitting the daily report, and reminding whoever has not by deadline − 30 min."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.exceptions import IntegrityError

from server.access import Viewer
from server.actions.feed_items import record_feed_item
from server.actions.reminders import schedule_reminder
from server.clock import utcnow
from server.errors import invalid_field
from server.i18n import Text, render
from server.localdays import clock_on, day_span, local_date
from server.models.identity import Role, User
from server.models.reminders import Reminder
from server.models.visits import DailyReport, DailyReportVersion
from server.queries.figures import figures_for
from server.queries.orm import column
from server.settings import get_settings
from server.transaction import atomic

REMIND_BEFORE = dt.timedelta(minutes=30)
MAX_AGE_DAYS = 31


def report_deadline(day: dt.date, tz: str) -> dt.datetime:
    """`daily_report_deadline` on that day, in the author's time zone, as UTC."""
    return clock_on(day, get_settings().daily_report_deadline, tz)


def _check_day(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise invalid_field("date", "is in the future")
    if day < today - dt.timedelta(days=MAX_AGE_DAYS):
        raise invalid_field("date", f"is more than {MAX_AGE_DAYS} days ago")


async def submit_daily_report(viewer: Viewer, data: dict[str, Any]) -> tuple[DailyReport, bool]:
    """Create the day's report (True) or update it, keeping the old version (False).

    The figures are the author's for that day in their own time zone. `late`
    is decided by the first submission: an edit after the deadline does not
    make an on-time report late.
    """
    tz = viewer.user.timezone
    now = utcnow()
    day: dt.date = data["date"]
    _check_day(day, local_date(now, tz))
    figures = await figures_for(viewer.id, day_span(day, tz))
    late = now > report_deadline(day, tz)
    try:
        return await _save(viewer, day, data, figures, late, now)
    except IntegrityError:  # a simultaneous first submission won; ours becomes an update
        return await _save(viewer, day, data, figures, late, now)


async def _save(
    viewer: Viewer, day: dt.date, data: dict[str, Any], figures: dict[str, int], late: bool, now: dt.datetime
) -> tuple[DailyReport, bool]:
    texts = {"summary": data["summary"], "plan": data["plan"], "problems": data.get("problems")}
    async with atomic():
        report = await DailyReport.select_for_update().get_or_none(user_id=viewer.id, date=day)
        if report is None:
            report = await DailyReport.create(
                user_id=viewer.id, date=day, figures=figures, late=late, submitted_at=now, **texts
            )
            await record_feed_item(
                viewer.user, "daily_report", Text("feed.daily_report", day=day, summary=report.summary),
                visibility="department",
            )
            return report, True
        await DailyReportVersion.create(
            report_id=report.id, version=report.version, summary=report.summary, plan=report.plan,
            problems=report.problems, figures=report.figures, late=report.late,
            submitted_at=report.submitted_at,
        )
        for name, value in texts.items():
            setattr(report, name, value)
        report.figures, report.submitted_at, report.version = figures, now, report.version + 1
        await report.save()
        return report, False


async def remind_missing_daily_reports(now: dt.datetime | None = None) -> int:
    """Schedule one `daily_report` reminder per rep and local day, once their
    clock passes deadline − 30 min without a report. Safe to run every minute
    from every server process: the dedupe key makes a second one a no-op.
    """
    now = now or utcnow()
    due = []
    languages = {}
    for user_id, tz, language in await User.filter(role=Role.REP, active=True).values_list(
            "id", "timezone", "language"):
        day = local_date(now, tz)
        deadline = report_deadline(day, tz)
        if now >= deadline - REMIND_BEFORE:
            due.append((user_id, day, deadline))
            languages[user_id] = (language, tz)
    if not due:
        return 0
    reported = set(await DailyReport.filter(
        user_id__in=[u for u, _, _ in due], date__in=list({d for _, d, _ in due})
    ).values_list("user_id", "date"))
    keys = {u: f"daily_report:{u}:{d.isoformat()}" for u, d, _ in due}
    already = set(await column(Reminder.filter(dedupe_key__in=list(keys.values())), "dedupe_key"))
    scheduled = 0
    for user_id, day, deadline in due:
        if (user_id, day) in reported or keys[user_id] in already:
            continue
        reminder = await schedule_reminder(
            user_id, "daily_report", render(Text("reminder.daily_report", day=day), *languages[user_id]), now,
            due_at=deadline, link_type="daily_report", dedupe_key=keys[user_id],
        )
        scheduled += reminder is not None
    return scheduled
