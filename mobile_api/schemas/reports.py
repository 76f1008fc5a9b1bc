"""Schemas for daily reports and dashboards."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mobile_api.validation import OutSchema, QuerySchema
from server.validation import Day, RecordId, Schema


class DailyReportIn(Schema):
    date: Day = Field(strict=False)  # "2026-11-25" in JSON
    summary: str = Field(min_length=1, max_length=20_000)
    plan: str = Field(min_length=1, max_length=20_000)
    problems: str | None = Field(None, max_length=20_000)


class Figures(OutSchema):
    checkins: int
    activities: int
    effective_contacts: int
    new_customers: int
    new_key_customers: int


class ReportVersion(OutSchema):
    version: int
    summary: str
    plan: str
    problems: str | None
    figures: Figures
    late: bool
    submitted_at: str


class DailyReport(OutSchema):
    id: int
    user_id: int
    date: str
    summary: str
    plan: str
    problems: str | None
    figures: Figures
    late: bool
    version: int
    submitted_at: str
    created_at: str
    updated_at: str
    history: list[ReportVersion] | None = None


class DailyReportDay(OutSchema):
    date: str
    items: list[DailyReport]
    missing: list[int]
    next_cursor: str | None


class DailyReportsQuery(QuerySchema):
    department_id: RecordId | None = None
    user_id: RecordId | None = None
    date: Day | None = None


class FunnelQuery(QuerySchema):
    scope: Literal["mine", "team", "all"] = "team"


class Bucket(OutSchema):
    count: int
    amount: float


class StageBucket(Bucket):
    stage: str


class Funnel(OutSchema):
    scope: str
    stages: list[StageBucket]
    won: Bucket
    lost: Bucket
    contracts: Bucket = Field(description="Approved contracts (active or completed) of the scope: count and amount.")
    collected: float = Field(description="Received on those contracts (回款).")
    outstanding: float


class RangeQuery(QuerySchema):
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None


class ActivityStatsQuery(RangeQuery):
    user_id: RecordId | None = None


class LeaderboardRow(OutSchema):
    rank: int
    user_id: int
    name: str
    won_amount: float
    open_pipeline: float
    contract_amount: float = Field(description="Contracts approved in the range.")
    collected_amount: float = Field(description="Payments received in the range on the rep's contracts.")
    effective_contacts: int
    checkins: int


class Leaderboard(OutSchema):
    items: list[LeaderboardRow]


class DecisionTimesQuery(RangeQuery):
    kind: Literal["contract", "discount", "expense", "leave", "custom"] | None = None


class DecisionTime(OutSchema):
    kind: str
    template_id: int
    template_version: int
    step: int
    decisions: int
    avg_seconds: float = Field(description="From the step reaching its approvers to the decision.")
    max_seconds: float


class DecisionTimes(OutSchema):
    items: list[DecisionTime]


class ActivityDay(Figures):
    date: str
    progress: dict[str, float]
    quota_met: bool


class ActivityStats(OutSchema):
    user_id: int
    targets: dict[str, int]
    days: list[ActivityDay]
    totals: Figures
