"""Approval flows (审批): versioned templates, requests, their steps, who waits on them, CC and the log."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import Timestamped, Versioned, nullable_text
from server.models.identity import User


class ApprovalTemplate(Versioned, Model):
    """The current version of one kind's flow (every change keeps the old one as a version row)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16, db_index=True)  # contract, discount, expense, leave, custom
    name = fields.CharField(max_length=200)
    steps: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    allow_forward = fields.BooleanField(default=False)

    class Meta:
        table = "approval_templates"


class ApprovalTemplateVersion(Model):
    """A template as it stood at one version: requests keep the version they were submitted under."""

    id = fields.IntField(primary_key=True)
    template: fields.ForeignKeyRelation[ApprovalTemplate] = fields.ForeignKeyField(
        "models.ApprovalTemplate", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    name = fields.CharField(max_length=200)
    steps: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    allow_forward = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    template_id: int

    class Meta:
        table = "approval_template_versions"
        unique_together = (("template_id", "number"),)


class ApprovalRequest(Versioned, Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16, db_index=True)
    template: fields.ForeignKeyRelation[ApprovalTemplate] = fields.ForeignKeyField(
        "models.ApprovalTemplate", related_name="requests", on_delete=fields.RESTRICT
    )
    template_number = fields.IntField()
    allow_forward = fields.BooleanField(default=False)
    title = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=16, decimal_places=2, null=True)
    currency = fields.CharField(max_length=3, default="CNY")
    subject_type = fields.CharField(max_length=16, null=True)  # contract, expense, opportunity
    subject_id = fields.IntField(null=True)
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    submitter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="approval_requests", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=12, default="pending", db_index=True)
    current_step = fields.IntField(null=True)
    reason = nullable_text()
    decided_at = fields.DatetimeField(null=True)
    template_id: int
    submitter_id: int

    class Meta:
        table = "approval_requests"
        indexes = (("subject_type", "subject_id", "status"), ("submitter_id", "status"))


class ApprovalStep(Model):
    """One step of a request's chain, resolved to its approvers when the request was submitted."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[ApprovalRequest] = fields.ForeignKeyField(
        "models.ApprovalRequest", related_name="steps", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    kind = fields.CharField(max_length=16)  # direct_manager, manager_above, user, role
    approver_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    status = fields.CharField(max_length=12, default="waiting")  # waiting, pending, approved, rejected, returned, cancelled
    started_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by = fields.IntField(null=True)
    comment = nullable_text()
    request_id: int

    class Meta:
        table = "approval_steps"
        unique_together = (("request_id", "number"),)


class ApprovalTask(Model):
    """One person's turn on a step: what the inbox lists while `open`."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[ApprovalRequest] = fields.ForeignKeyField(
        "models.ApprovalRequest", related_name="tasks", on_delete=fields.CASCADE
    )
    step_number = fields.IntField()
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="approval_tasks", on_delete=fields.CASCADE
    )
    open = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    request_id: int
    user_id: int

    class Meta:
        table = "approval_tasks"
        indexes = (("user_id", "open", "created_at"), ("request_id", "step_number"))


class ApprovalCc(Model):
    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[ApprovalRequest] = fields.ForeignKeyField(
        "models.ApprovalRequest", related_name="cc", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="approval_cc", on_delete=fields.CASCADE
    )
    request_id: int
    user_id: int

    class Meta:
        table = "approval_cc"
        unique_together = (("request_id", "user_id"),)


class ApprovalEntry(Timestamped, Model):
    """The request's log: submitted, approved, rejected, returned, withdrawn, commented, forwarded."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[ApprovalRequest] = fields.ForeignKeyField(
        "models.ApprovalRequest", related_name="entries", on_delete=fields.CASCADE
    )
    action = fields.CharField(max_length=12)
    actor_id = fields.IntField()
    step_number = fields.IntField(null=True)
    body = nullable_text()
    target_id = fields.IntField(null=True)
    request_id: int

    class Meta:
        table = "approval_entries"
        indexes = (("request_id", "id"),)
