"""Daily quota targets an administrator sets per role or per department."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from server.models.identity import Department


class QuotaTarget(Model):
    """The daily targets of one role or one department (null: not set here, inherited)."""

    id = fields.IntField(primary_key=True)
    role = fields.CharField(max_length=16, null=True, unique=True)
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="quota_targets", null=True, unique=True, on_delete=fields.CASCADE
    )
    effective_contacts = fields.IntField(null=True)
    new_key_customers = fields.IntField(null=True)
    updated_by_id = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    department_id: int | None

    class Meta:
        table = "quota_targets"
