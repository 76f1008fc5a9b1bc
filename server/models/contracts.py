"""Contracts (合同), their payment plans and the payments received (回款)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.base import Timestamped, Versioned, nullable_text
from server.models.customers import Customer, Opportunity
from server.models.identity import User


class Contract(Versioned, Model):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="contracts", on_delete=fields.RESTRICT
    )
    opportunity: fields.ForeignKeyNullableRelation[Opportunity] = fields.ForeignKeyField(
        "models.Opportunity", related_name="contracts", null=True, on_delete=fields.SET_NULL
    )
    number = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=16, decimal_places=2)
    currency = fields.CharField(max_length=3, default="CNY")
    signed_on = fields.DateField(null=True)
    start_on = fields.DateField(null=True)
    end_on = fields.DateField(null=True)
    status = fields.CharField(max_length=12, default="draft", db_index=True)  # draft, reviewing, active, completed, terminated
    collected = fields.DecimalField(max_digits=16, decimal_places=2, default=0)
    file_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    notes = nullable_text()
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contracts", on_delete=fields.RESTRICT
    )
    activated_at = fields.DatetimeField(null=True)
    customer_id: int
    opportunity_id: int | None
    owner_id: int

    class Meta:
        table = "contracts"
        indexes = (("owner_id", "deleted_at"), ("customer_id", "deleted_at"))


class PaymentPlan(Versioned, Model):
    """A payment the customer is due to make (settled once payments cover it, reminded once overdue)."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="plans", on_delete=fields.CASCADE
    )
    due_on = fields.DateField(db_index=True)
    amount = fields.DecimalField(max_digits=16, decimal_places=2)
    collected = fields.DecimalField(max_digits=16, decimal_places=2, default=0)
    settled = fields.BooleanField(default=False)
    note = fields.CharField(max_length=500, null=True)
    reminded_at = fields.DatetimeField(null=True)
    contract_id: int

    class Meta:
        table = "payment_plans"
        indexes = (("settled", "reminded_at", "due_on"),)


class PaymentRecord(Timestamped, Model):
    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[Contract] = fields.ForeignKeyField(
        "models.Contract", related_name="payments", on_delete=fields.CASCADE
    )
    plan: fields.ForeignKeyNullableRelation[PaymentPlan] = fields.ForeignKeyField(
        "models.PaymentPlan", related_name="payments", null=True, on_delete=fields.SET_NULL
    )
    paid_on = fields.DateField(db_index=True)
    amount = fields.DecimalField(max_digits=16, decimal_places=2)
    method = fields.CharField(max_length=32, null=True)
    note = fields.CharField(max_length=500, null=True)
    recorded_by = fields.IntField()
    contract_id: int
    plan_id: int | None

    class Meta:
        table = "payment_records"
