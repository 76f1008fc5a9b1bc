"""Leases that let one server process at a time run a periodic job."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class JobLease(Model):
    """Who runs the job `name` until `leased_until` (see schedulers/jobs.py)."""

    name = fields.CharField(max_length=64, primary_key=True)
    leased_until = fields.DatetimeField()
    holder = fields.CharField(max_length=64, default="")
    last_started_at = fields.DatetimeField(null=True)
    last_finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "job_leases"
