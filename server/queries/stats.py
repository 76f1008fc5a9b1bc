"""Dashboards: the sales funnel, the leaderboard and a rep's daily quota progress.

Every figure counts only records the viewer may see. Ranges are whole days in
the viewer's time zone (API.md: every `date` is a day in the caller's zone).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tortoise.functions import Count, Sum

from server.access import Viewer
from server.clock import utcnow
from server.errors import invalid_field
from server.localdays import days_between, days_span, local_date
from server.models.customers import Opportunity
from server.models.identity import User
from server.queries.contract_stats import contract_amounts, contract_totals
from server.queries.figures import FIGURES, figures_by_user, moments_by_figure
from server.queries.quotas import targets_for
from server.queries.team import reps_among, scope_user_ids

STAGES = ("lead", "qualified", "proposal", "negotiation")
MAX_RANGE_DAYS = 366


def money(value: Any) -> float:
    return float(round(Decimal(str(value or 0)), 2))


def day_range(viewer: Viewer, first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """`from`/`to` default to today in the viewer's zone; at most a year."""
    today = local_date(utcnow(), viewer.user.timezone)
    last = last or max(first or today, today)
    first = first or last
    if last < first:
        raise invalid_field("to", "is before from")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise invalid_field("to", f"makes the range longer than {MAX_RANGE_DAYS} days")
    return first, last


def _funnel_owners(viewer: Viewer, scope: str) -> frozenset[int] | None:
    if scope == "mine":
        return frozenset({viewer.id})
    return viewer.owner_ids()  # team and all: everything the viewer may see


async def funnel(viewer: Viewer, scope: str) -> dict[str, Any]:
    """Count and amount per stage of open opportunities, and of won and lost ones."""
    qs = Opportunity.filter(deleted_at=None)
    owners = _funnel_owners(viewer, scope)
    if owners is not None:
        qs = qs.filter(owner_id__in=list(owners))
    rows = await qs.annotate(n=Count("id"), total=Sum("amount")).group_by("status", "stage").values_list(
        "status", "stage", "n", "total"
    )
    stages = {stage: {"stage": stage, "count": 0, "amount": 0.0} for stage in STAGES}
    closed = {status: {"count": 0, "amount": 0.0} for status in ("won", "lost")}
    for status, stage, count, total in rows:
        bucket = stages.setdefault(stage, {"stage": stage, "count": 0, "amount": 0.0}) if status == "open" \
            else closed.get(status)
        if bucket is not None:
            bucket["count"] += count
            bucket["amount"] = money(Decimal(str(bucket["amount"])) + Decimal(str(total or 0)))
    return {"scope": scope, "stages": list(stages.values()), **closed, **await contract_totals(owners)}


async def _amounts(qs: Any) -> dict[int, float]:
    rows = await qs.annotate(total=Sum("amount")).group_by("owner_id").values_list("owner_id", "total")
    return {owner: money(total) for owner, total in rows}


async def leaderboard(viewer: Viewer, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Per rep in scope: won amount and field work in the range, open pipeline now."""
    reps = await reps_among(await scope_user_ids(viewer))
    ids = [r.id for r in reps]
    span = days_span(first, last, viewer.user.timezone)
    won = await _amounts(Opportunity.filter(
        owner_id__in=ids, status="won", deleted_at=None, closed_at__gte=span[0], closed_at__lt=span[1]
    ))
    pipeline = await _amounts(Opportunity.filter(owner_id__in=ids, status="open", deleted_at=None))
    figures = await figures_by_user(ids, span)
    signed, collected = await contract_amounts(ids, span, first, last)
    items: list[dict[str, Any]] = [
        {
            "user_id": rep.id, "name": rep.name, "won_amount": won.get(rep.id, 0.0),
            "open_pipeline": pipeline.get(rep.id, 0.0),
            "contract_amount": signed.get(rep.id, 0.0), "collected_amount": collected.get(rep.id, 0.0),
            "effective_contacts": figures[rep.id]["effective_contacts"], "checkins": figures[rep.id]["checkins"],
        }
        for rep in reps
    ]
    items.sort(key=lambda i: (-i["won_amount"], -i["effective_contacts"], -i["checkins"], i["user_id"]))
    for rank, item in enumerate(items, start=1):
        item["rank"] = rank
    return {"from": first.isoformat(), "to": last.isoformat(), "items": items}


async def activity(viewer: Viewer, user_id: int | None, first: dt.date, last: dt.date) -> dict[str, Any]:
    """One person's figures per day, with progress against the daily quotas."""
    target_id = user_id or viewer.id
    await scope_user_ids(viewer, user_id=target_id)
    tz = viewer.user.timezone
    moments = await moments_by_figure(target_id, days_span(first, last, tz))
    days = {day: dict.fromkeys(FIGURES, 0) for day in days_between(first, last)}
    for figure, stamps in moments.items():
        for stamp in stamps:
            bucket = days.get(local_date(stamp, tz))
            if bucket is not None:
                bucket[figure] += 1
    person = viewer.user if target_id == viewer.id else await User.get(id=target_id)
    targets = await targets_for(person)
    rows = [{"date": day.isoformat(), **counts, **_progress(counts, targets)} for day, counts in days.items()]
    totals = {figure: sum(row[figure] for row in rows) for figure in FIGURES}
    return {"user_id": target_id, "from": first.isoformat(), "to": last.isoformat(),
            "targets": targets, "days": rows, "totals": totals}


def _progress(counts: dict[str, int], targets: dict[str, int]) -> dict[str, Any]:
    """Share of each daily target reached (1.0 = met; a zero target is always met)."""
    progress = {
        name: round(min(counts[name] / target, 1.0), 3) if target else 1.0 for name, target in targets.items()
    }
    return {"progress": progress, "quota_met": all(value >= 1.0 for value in progress.values())}
