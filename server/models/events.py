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


class LoggedEvent(Model):
    """A durable event as committed: its type, payload and time, stored once
    however many users' logs list it (a message to a group of 100 is one row here)."""

    id = fields.BigIntField(primary_key=True)
    type = fields.CharField(max_length=40)
    data = fields.TextField()
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "events"


class EventLogEntry(Model):
    """One recipient's place in their log: their gap-free `seq` for an event.

    No database constraint on `event_id`: the only writer (`server.transaction`)
    writes the event and its entries in one transaction, and pruning removes
    both, so a per-row check would only cost (on PostgreSQL a trigger per row).
    """

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    seq = fields.BigIntField()
    event: fields.ForeignKeyRelation[LoggedEvent] = fields.ForeignKeyField(
        "models.LoggedEvent", related_name="entries", db_constraint=False, db_index=True
    )
    event_id: int

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
