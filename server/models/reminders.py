"""Reminders: one table is the truth for everything that fires at a time."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.identity import User


class Reminder(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reminders", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)  # task, follow_up, daily_report
    title = fields.CharField(max_length=300)
    due_at = fields.DatetimeField()  # what the reminder is about is due then (shown to the user)
    fire_at = fields.DatetimeField(db_index=True)  # when it fires (moves on snooze)
    link_type = fields.CharField(max_length=32, null=True)
    link_id = fields.IntField(null=True)
    status = fields.CharField(max_length=12, default="scheduled", db_index=True)  # scheduled, fired, cancelled
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)
    claimed_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    fired_at = fields.DatetimeField(null=True)
    late = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    user_id: int

    class Meta:
        table = "reminders"
        indexes = (("status", "fire_at"), ("link_type", "link_id"))
