"""Dashboards: funnel, leaderboard and daily quota progress."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import reports as s
from server.localdays import days_span
from server.queries import contract_stats, stats


@api.get("/api/v1/stats/funnel", query=s.FunnelQuery, response=s.Funnel)
async def funnel(call: Call) -> Any:
    """Count and amount per stage, won and lost, then approved contracts and 回款 (`scope` = mine|team|all)."""
    return await stats.funnel(call.viewer, call.query.scope)


@api.get("/api/v1/stats/leaderboard", query=s.RangeQuery, response=s.Leaderboard)
async def leaderboard(call: Call) -> Any:
    """Per rep: won amount, pipeline, contracts approved, money collected, contacts and check-ins (`from`/`to`)."""
    first, last = stats.day_range(call.viewer, call.query.from_, call.query.to)
    return await stats.leaderboard(call.viewer, first, last)


@api.get("/api/v1/stats/activity", query=s.ActivityStatsQuery, response=s.ActivityStats, errors=(403,))
async def activity(call: Call) -> Any:
    """A person's figures per day with progress against the daily contact and key-customer quotas."""
    first, last = stats.day_range(call.viewer, call.query.from_, call.query.to)
    return await stats.activity(call.viewer, call.query.user_id, first, last)


@api.get("/api/v1/stats/approvals", query=s.DecisionTimesQuery, response=s.DecisionTimes)
async def decision_times(call: Call) -> Any:
    """Time to decision per approval template, version and step, over requests the caller sees (`from`/`to` days)."""
    first, last = stats.day_range(call.viewer, call.query.from_, call.query.to)
    return await contract_stats.decision_times(call.viewer, days_span(first, last, call.viewer.user.timezone),
                                               call.query.kind)
