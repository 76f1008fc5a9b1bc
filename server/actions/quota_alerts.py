"""Quotas that alert (慧聪 资源规则: 日联系量 35 个以上, 日新增重点客户 3 个以上).

At `quota_alert_at` on each person's own clock, a rep still below their daily
targets (effective contacts and new key customers as set for their department,
else their role, else `daily_contacts_target` / `daily_new_key_customers_target`:
`server.queries.quotas`; figures as `server.queries.figures` counts them) gets a
`system` notification with their figures, and each manager gets one summary
naming the people of their team who are below. Each goes once a day across
server processes: the person's row is claimed for the day by a conditional
UPDATE (`quota_alerted_on` / `quota_summary_on`) in the transaction that
writes the notification.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q

from server.access import viewer_for
from server.actions.notify import notify
from server.clock import utcnow
from server.i18n import Text
from server.localdays import clock_on, day_span, local_date
from server.models.identity import Role, User
from server.queries.figures import figures_by_user
from server.queries.orm import lookup
from server.queries.quotas import QuotaBook, quota_book
from server.settings import get_settings
from server.transaction import atomic


def _targets(book: QuotaBook, user: User) -> dict[str, int]:
    return book.targets_for(user.role.value, user.department_id)


def below(figures: dict[str, int], targets: dict[str, int]) -> bool:
    return any(figures[name] < target for name, target in targets.items())


def _due_day(user: User, now: dt.datetime) -> dt.date | None:
    """The user's local day when its alert time has passed, else None."""
    day = local_date(now, user.timezone)
    return day if now >= clock_on(day, get_settings().quota_alert_at, user.timezone) else None


async def _claim(user_id: int, column: str, day: dt.date) -> bool:
    """Take the day's alert of this kind for this person; False when another process has."""
    not_yet = lookup({column: None}) | lookup({f"{column}__lt": day})
    return bool(await User.filter(not_yet, id=user_id).update(**{column: day}))


async def _alert_rep(user: User, day: dt.date, book: QuotaBook) -> bool:
    async with atomic():
        if not await _claim(user.id, "quota_alerted_on", day):
            return False
        figures = (await figures_by_user([user.id], day_span(day, user.timezone)))[user.id]
        targets = _targets(book, user)
        if not below(figures, targets):
            return False
        await notify([user.id], "system", Text("quota.below"), Text(
            "quota.below.body", contacts=figures["effective_contacts"],
            contacts_target=targets["effective_contacts"], key_customers=figures["new_key_customers"],
            key_customers_target=targets["new_key_customers"]),
            data={"figures": figures, "targets": targets, "day": day.isoformat()})
    return True


async def _summarise_team(manager: User, day: dt.date, book: QuotaBook) -> bool:
    people = (await viewer_for(manager)).owner_ids() or frozenset()
    reps = await User.filter(id__in=sorted(people), role=Role.REP, active=True).order_by("id")
    if not reps:
        return False
    async with atomic():
        if not await _claim(manager.id, "quota_summary_on", day):
            return False
        figures = await figures_by_user([r.id for r in reps], day_span(day, manager.timezone))
        lagging = [r for r in reps if below(figures[r.id], _targets(book, r))]
        if not lagging:
            return False
        data: dict[str, Any] = {"day": day.isoformat(), "targets": _targets(book, lagging[0]),
                                "below": [{"user_id": r.id, **figures[r.id], "targets": _targets(book, r)}
                                          for r in lagging]}
        await notify([manager.id], "system", Text("quota.team", count=len(lagging)),
                     Text("quota.team.body", people=[r.name for r in lagging]), data=data)
    return True


async def alert_quotas(*, now: dt.datetime | None = None) -> int:
    """Send the alerts whose time has come; returns how many went out."""
    now = now or utcnow()
    latest = local_date(now, "Etc/GMT-14")  # UTC+14: no one's day is later than this one
    waiting = Q(quota_alerted_on=None) | Q(quota_alerted_on__lt=latest) | Q(quota_summary_on=None) | Q(
        quota_summary_on__lt=latest)
    sent = 0
    book = await quota_book()
    for user in await User.filter(waiting, active=True, role__in=[Role.REP, Role.MANAGER]).order_by("id"):
        day = _due_day(user, now)
        if day is None:
            continue
        if user.role == Role.REP and user.quota_alerted_on != day:
            sent += await _alert_rep(user, day, book)
        if user.role == Role.MANAGER and user.quota_summary_on != day:
            sent += await _summarise_team(user, day, book)
    return sent
