"""Dashboards: funnel, leaderboard and daily quota progress."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import reports as s
from server.queries import stats


@api.get("/api/v1/stats/funnel", query=s.FunnelQuery, response=s.Funnel)
async def funnel(call: Call) -> Any:
    """Count and amount per stage of open opportunities, plus won and lost (`scope` = mine|team|all)."""
    return await stats.funnel(call.viewer, call.query.scope)


@api.get("/api/v1/stats/leaderboard", query=s.RangeQuery, response=s.Leaderboard)
async def leaderboard(call: Call) -> Any:
    """Per rep: won amount, open pipeline, effective contacts and check-ins (`from`/`to` days)."""
    first, last = stats.day_range(call.viewer, call.query.from_, call.query.to)
    return await stats.leaderboard(call.viewer, first, last)


@api.get("/api/v1/stats/activity", query=s.ActivityStatsQuery, response=s.ActivityStats, errors=(403,))
async def activity(call: Call) -> Any:
    """A person's figures per day with progress against the daily contact and key-customer quotas."""
    first, last = stats.day_range(call.viewer, call.query.from_, call.query.to)
    return await stats.activity(call.viewer, call.query.user_id, first, last)
