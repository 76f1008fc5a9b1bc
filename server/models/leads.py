"""Leads (线索): companies not yet customers — online sign-ups, cold visits, tips."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import Versioned, nullable_text
from server.models.customers import Customer
from server.models.identity import User


class LeadSource(Model):
    """Where leads arrive from by themselves (a sign-up form, a partner) with its own API key."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    key_hash = fields.CharField(max_length=64, unique=True)  # sha256 of the key, shown once
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="lead_sources", on_delete=fields.RESTRICT
    )
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    owner_id: int

    class Meta:
        table = "lead_sources"


class Lead(Versioned, Model):
    """A company someone should follow up, until it converts into a customer (撞单 and the cap apply)."""

    id = fields.IntField(primary_key=True)
    company = fields.CharField(max_length=200)
    contact_name = fields.CharField(max_length=100, null=True)
    phone = fields.CharField(max_length=64, null=True)
    email = fields.CharField(max_length=200, null=True)
    address = fields.CharField(max_length=500, null=True)
    note = nullable_text()
    source = fields.CharField(max_length=100)  # manual, cold_visit, or a LeadSource's name
    status = fields.CharField(max_length=12, default="new", db_index=True)  # new, following, converted, dropped
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="leads", on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="leads_created", null=True, on_delete=fields.SET_NULL
    )
    # Follow up by then (24 h for sign-ups); past it the owner, later their manager, is told.
    follow_up_by = fields.DatetimeField(null=True)
    followed_at = fields.DatetimeField(null=True)
    escalation = fields.IntField(default=0)  # 0 none yet, 1 owner told, 2 manager told
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int
    created_by_id: int | None
    customer_id: int | None

    class Meta:
        table = "leads"
        indexes = (("owner_id", "deleted_at"), ("status", "escalation", "follow_up_by"))


class LeadHistory(Model):
    """What happened to a lead, who did it and when: created, assigned, status, converted, deleted."""

    id = fields.IntField(primary_key=True)
    lead: fields.ForeignKeyRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="history", on_delete=fields.CASCADE
    )
    action = fields.CharField(max_length=32)
    actor_id = fields.IntField(null=True)
    from_owner_id = fields.IntField(null=True)
    to_owner_id = fields.IntField(null=True)
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    lead_id: int

    class Meta:
        table = "lead_history"
        indexes = (("lead_id", "id"),)
