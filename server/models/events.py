"""The per-user durable event log (see ARCHITECTURE.md, "Durable events")."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class EventCounter(Model):
    """The last `seq` handed out to a user (locked while a transaction adds events)."""

    user_id = fields.IntField(primary_key=True)
    last_seq = fields.BigIntField(default=0)

    class Meta:
        table = "event_counters"


class EventLogEntry(Model):
    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    seq = fields.BigIntField()
    type = fields.CharField(max_length=40)
    data = fields.TextField()
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "event_log"
        unique_together = (("user_id", "seq"),)


class IdempotencyRecord(Model):
    """The first answer to a create sent with an `Idempotency-Key`."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    key = fields.CharField(max_length=128)
    request_hash = fields.CharField(max_length=64)
    status = fields.IntField(default=0)
    body = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "idempotency_keys"
        unique_together = (("user_id", "key"),)
