"""Tasks and calendar events: assigned, accepted or rejected, done, postponed."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.base import Versioned, nullable_text
from server.models.identity import User


class Task(Versioned, Model):
    """A to-do (kind task) or an appointment (kind event, from start_at to due_at)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8, default="task")  # task, event
    title = fields.CharField(max_length=200)
    notes = fields.TextField(default="")
    start_at = fields.DatetimeField(null=True)
    due_at = fields.DatetimeField(db_index=True)
    remind_at = fields.DatetimeField(null=True)
    assignee: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tasks", on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tasks_created", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=12, default="open", db_index=True)  # pending, open, done, rejected, cancelled
    # Colleagues reading someone's schedule see a private one as busy, without its title.
    private = fields.BooleanField(default=False)
    subject_type = fields.CharField(max_length=16, null=True)  # customer, opportunity
    subject_id = fields.IntField(null=True)
    reject_reason = nullable_text()
    completed_at = fields.DatetimeField(null=True)
    # Set when the assignee's managers were told it is overdue (claimed once across processes).
    escalated_at = fields.DatetimeField(null=True)
    assignee_id: int
    created_by_id: int

    class Meta:
        table = "tasks"
        indexes = (("assignee_id", "due_at"), ("created_by_id", "due_at"), ("status", "escalated_at", "due_at"))
