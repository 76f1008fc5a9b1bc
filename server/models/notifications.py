"""The inbox (消息), email outbox and per-user preferences."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import nullable_text
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
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    read = fields.BooleanField(default=False)
    emailed = fields.BooleanField(default=False)  # taken into an email digest (or not meant for email)
    created_at = fields.DatetimeField(auto_now_add=True)
    user_id: int

    class Meta:
        table = "notifications"
        indexes = (("user_id", "read", "kind"), ("emailed", "created_at"))


class NotificationPreference(Model):
    """Which kinds a person gets by email and by push, their quiet hours, and when their last digest went."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="notification_preference", on_delete=fields.CASCADE, primary_key=True
    )
    email_kinds: fields.JSONField[dict[str, bool]] = fields.JSONField(default=dict)  # {"mention": true, "reminder": false, ...}; missing = on
    quiet_start = fields.CharField(max_length=5, null=True)  # "22:00" in the user's time zone
    quiet_end = fields.CharField(max_length=5, null=True)
    push_kinds: fields.JSONField[dict[str, bool]] = fields.JSONField(default=dict)  # {"mention": true, "chat": false, ...}; missing = on
    reminders_in_quiet_hours = fields.BooleanField(default=True)  # reminders are pushed in quiet hours
    last_digest_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    user_id: int

    class Meta:
        table = "notification_preferences"


class EmailOutbox(Model):
    """An email waiting to be sent, retried with exponential back-off until it goes."""

    id = fields.IntField(primary_key=True)
    to = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    text = fields.TextField()
    html = fields.TextField()
    user_id = fields.IntField(null=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    last_error = nullable_text()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "email_outbox"
        indexes = (("sent_at", "next_attempt_at"),)
