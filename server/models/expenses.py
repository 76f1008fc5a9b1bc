"""Expense claims (费用报销) and their lines with receipt photos."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.base import Versioned
from server.models.identity import User


class ExpenseClaim(Versioned, Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    currency = fields.CharField(max_length=3, default="CNY")
    total = fields.DecimalField(max_digits=16, decimal_places=2, default=0)
    status = fields.CharField(max_length=12, default="draft", db_index=True)  # draft, reviewing, approved
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="expense_claims", on_delete=fields.RESTRICT
    )
    approved_at = fields.DatetimeField(null=True)
    owner_id: int

    class Meta:
        table = "expense_claims"
        indexes = (("owner_id", "deleted_at"),)


class ExpenseLine(Model):
    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[ExpenseClaim] = fields.ForeignKeyField(
        "models.ExpenseClaim", related_name="lines", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    spent_on = fields.DateField()
    category = fields.CharField(max_length=32)
    amount = fields.DecimalField(max_digits=16, decimal_places=2)
    note = fields.CharField(max_length=500, null=True)
    receipt_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    checkin_id = fields.IntField(null=True)
    customer_id = fields.IntField(null=True)
    claim_id: int

    class Meta:
        table = "expense_lines"


class RecordPhoto(Model):
    """A photo attached to a contract or an expense claim: whoever sees that record sees the photo."""

    id = fields.IntField(primary_key=True)
    photo_id = fields.IntField(db_index=True)
    subject_type = fields.CharField(max_length=16)  # contract, expense
    subject_id = fields.IntField()

    class Meta:
        table = "record_photos"
        unique_together = (("photo_id", "subject_type", "subject_id"),)
