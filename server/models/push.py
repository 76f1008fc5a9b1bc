"""Devices registered for push, and the push outbox (docs/push.md)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import nullable_text
from server.models.identity import Session, User


class PushSubscription(Model):
    """One device's push address: a Web Push subscription or a native token.

    It belongs to the session that registered it, so signing out (or the
    session's revocation) removes it with the session.
    """

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="push_subscriptions", on_delete=fields.CASCADE
    )
    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "models.Session", related_name="push_subscriptions", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=8)  # webpush, fcm, apns
    address_hash = fields.CharField(max_length=64, unique=True)  # sha256 of kind and endpoint or token
    endpoint = nullable_text()  # webpush
    p256dh = fields.CharField(max_length=128, null=True)
    auth = fields.CharField(max_length=64, null=True)
    token = nullable_text()  # fcm, apns
    created_at = fields.DatetimeField(auto_now_add=True)
    user_id: int
    session_id: int

    class Meta:
        table = "push_subscriptions"
        indexes = (("user_id", "session_id"),)


class PushOutbox(Model):
    """One push to one device, sent after commit, retried with back-off until it goes.

    `seq` is the recipient's event that caused it: a socket of the same
    session that acknowledges that seq before `next_attempt_at` cancels it.
    """

    id = fields.IntField(primary_key=True)
    subscription: fields.ForeignKeyRelation[PushSubscription] = fields.ForeignKeyField(
        "models.PushSubscription", related_name="outbox", on_delete=fields.CASCADE
    )
    user_id = fields.IntField()
    session_id = fields.IntField()
    seq = fields.BigIntField(null=True)
    kind = fields.CharField(max_length=16)  # mention, reminder, task, announcement, chat
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField()  # {"title", "body", "url", "kind", "tag"}
    state = fields.CharField(max_length=8, default="queued")  # queued, sent, acked, failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_by = fields.CharField(max_length=64, null=True)
    sent_at = fields.DatetimeField(null=True)
    last_error = nullable_text()
    created_at = fields.DatetimeField(auto_now_add=True)
    subscription_id: int

    class Meta:
        table = "push_outbox"
        indexes = (("state", "next_attempt_at"), ("user_id", "session_id", "state"))
