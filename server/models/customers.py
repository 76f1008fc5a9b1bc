"""Customers, their contacts and opportunities, and the customer's owner history."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import Versioned, nullable_text
from server.models.identity import User


class Customer(Versioned, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, default="", db_index=True)  # server.dedupe key
    phone = fields.CharField(max_length=64, null=True)
    fax = fields.CharField(max_length=64, null=True)
    phone_key = fields.CharField(max_length=32, null=True, db_index=True)  # E.164
    fax_key = fields.CharField(max_length=32, null=True, db_index=True)
    address = fields.CharField(max_length=500, null=True)
    lat = fields.FloatField(null=True)
    lng = fields.FloatField(null=True)
    industry = fields.CharField(max_length=100, null=True)
    source = fields.CharField(max_length=100, null=True)
    level = fields.CharField(max_length=20, null=True)
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # The 慧聪 entry form: 省份 and 城市 (docs/customers.md, "Fields").
    province = fields.CharField(max_length=50, null=True)
    city = fields.CharField(max_length=50, null=True)
    email = fields.CharField(max_length=200, null=True)
    website = fields.CharField(max_length=300, null=True)
    description = nullable_text()
    # The latest follow-up note or check-in about it (kept by those actions).
    last_contact_at = fields.DatetimeField(null=True)
    # Came in through a CSV import: not a "new customer" in anyone's daily figures.
    imported = fields.BooleanField(default=False)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    in_pool = fields.BooleanField(default=False, db_index=True)
    released_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="customers_created", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int | None
    created_by_id: int | None

    class Meta:
        table = "customers"
        indexes = (("owner_id", "deleted_at"), ("owner_id", "id"), ("lat", "lng"), ("province", "city"), ("last_contact_at",))


class CustomerShare(Model):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="shares", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="shared_customers", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    customer_id: int
    user_id: int

    class Meta:
        table = "customer_shares"
        unique_together = (("customer_id", "user_id"),)
        indexes = (("user_id", "customer_id"),)


class CustomerTag(Model):
    """One tag of a customer, so that `?tag=` is an indexed lookup on every database."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="tag_rows", on_delete=fields.CASCADE
    )
    tag = fields.CharField(max_length=50, db_index=True)
    customer_id: int

    class Meta:
        table = "customer_tags"
        unique_together = (("customer_id", "tag"),)


class CustomerHistory(Model):
    """Who changed a customer's owner or pool state, when, from whom, to whom, why."""

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="history", on_delete=fields.CASCADE
    )
    action = fields.CharField(max_length=32)  # created, released, claimed, transferred, shared, updated, deleted
    actor_id = fields.IntField(null=True)
    from_owner_id = fields.IntField(null=True)
    to_owner_id = fields.IntField(null=True)
    reason = nullable_text()
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    customer_id: int

    class Meta:
        table = "customer_history"
        indexes = (("customer_id", "id"),)


class Contact(Versioned, Model):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    name = fields.CharField(max_length=100)
    title = fields.CharField(max_length=100, null=True)
    mobile = fields.CharField(max_length=64, null=True)
    phone = fields.CharField(max_length=64, null=True)
    mobile_key = fields.CharField(max_length=32, null=True, db_index=True)
    phone_key = fields.CharField(max_length=32, null=True, db_index=True)
    email = fields.CharField(max_length=254, null=True)
    wechat = fields.CharField(max_length=100, null=True)
    address = fields.CharField(max_length=500, null=True)
    website = fields.CharField(max_length=300, null=True)
    source = fields.CharField(max_length=16, default="manual")  # manual | card | import
    card_id = fields.IntField(null=True)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    customer_id: int | None
    owner_id: int | None

    class Meta:
        table = "contacts"
        indexes = (("customer_id", "deleted_at"), ("owner_id", "deleted_at"))


class Opportunity(Versioned, Model):
    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="opportunities", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=16, decimal_places=2, default=0)
    currency = fields.CharField(max_length=3, default="CNY")
    stage = fields.CharField(max_length=20, default="lead")  # lead, qualified, proposal, negotiation
    status = fields.CharField(max_length=8, default="open", db_index=True)  # open, won, lost
    loss_reason = nullable_text()
    expected_close = fields.DateField(null=True)
    closed_at = fields.DatetimeField(null=True)
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="opportunities", null=True, on_delete=fields.SET_NULL
    )
    customer_id: int
    owner_id: int | None

    class Meta:
        table = "opportunities"
        indexes = (("customer_id", "deleted_at"), ("owner_id", "deleted_at"))


class CustomerSightChange(Model):
    """A moment a person may have lost or gained sight of a customer.

    Written when an owner, pool, share or team change moves a customer out of
    (or into) someone's sight without the customer itself changing for them,
    so delta sync can send them a tombstone (or the record). `user_id` NULL
    means everyone who could see it (it left the public pool).
    """

    id = fields.BigIntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="sight_changes", on_delete=fields.CASCADE
    )
    user_id = fields.IntField(null=True)
    changed_at = fields.DatetimeField()
    customer_id: int

    class Meta:
        table = "customer_sight_changes"
        indexes = (("user_id", "changed_at", "customer_id"),)
