"""The inbox (消息), email outbox and per-user preferences."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.identity import User


class Notification(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)  # mention, comment, reminder, task, announcement, system
    title = fields.CharField(max_length=300)
    body = fields.TextField(default="")
    link_type = fields.CharField(max_length=32, null=True)
    link_id = fields.IntField(null=True)
    data = fields.JSONField(default=dict)
    read = fields.BooleanField(default=False)
    emailed = fields.BooleanField(default=False)  # taken into an email digest (or not meant for email)
    created_at = fields.DatetimeField(auto_now_add=True)
    user_id: int

    class Meta:
        table = "notifications"
        indexes = (("user_id", "read", "kind"), ("emailed", "created_at"))
