"""Approval templates, requests (with their steps and CC list) and log entries as the API shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.events import ApprovalPayload, ApprovalStepPayload, RecordRef
from server.models.approvals import ApprovalCc, ApprovalEntry, ApprovalRequest, ApprovalStep, ApprovalTemplate
from server.render import iso


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def render_template(template: ApprovalTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "kind": template.kind,
        "name": template.name,
        "steps": list(template.steps or []),
        "allow_forward": template.allow_forward,
        "created_at": iso(template.created_at),
        "updated_at": iso(template.updated_at),
        "version": template.version,
    }


def render_step(step: ApprovalStep) -> ApprovalStepPayload:
    return {
        "number": step.number,
        "kind": step.kind,
        "approver_ids": list(step.approver_ids or []),
        "status": step.status,
        "started_at": iso(step.started_at),
        "decided_at": iso(step.decided_at),
        "decided_by": step.decided_by,
        "comment": step.comment,
    }


def render_request(request: ApprovalRequest, steps: list[ApprovalStep], cc_ids: list[int]) -> ApprovalPayload:
    subject: RecordRef | None = None
    if request.subject_type and request.subject_id is not None:  # set together, from one `subject`
        subject = {"type": request.subject_type, "id": request.subject_id}
    return {
        "id": request.id,
        "kind": request.kind,
        "template_id": request.template_id,
        "template_version": request.template_number,
        "title": request.title,
        "amount": money(request.amount),
        "currency": request.currency,
        "subject": subject,
        "data": dict(request.data or {}),
        "submitter_id": request.submitter_id,
        "status": request.status,
        "current_step": request.current_step,
        "steps": [render_step(s) for s in sorted(steps, key=lambda s: s.number)],
        "cc_ids": sorted(cc_ids),
        "reason": request.reason,
        "allow_forward": request.allow_forward,
        "created_at": iso(request.created_at),
        "updated_at": iso(request.updated_at),
        "decided_at": iso(request.decided_at),
        "version": request.version,
    }


async def render_requests(requests: list[ApprovalRequest]) -> list[ApprovalPayload]:
    """Several requests with two more queries, not two per request."""
    ids = [r.id for r in requests]
    steps: dict[int, list[ApprovalStep]] = {i: [] for i in ids}
    cc: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for step in await ApprovalStep.filter(request_id__in=ids):
            steps[step.request_id].append(step)
        for request_id, user_id in await ApprovalCc.filter(request_id__in=ids).values_list("request_id", "user_id"):
            cc[request_id].append(user_id)
    return [render_request(r, steps[r.id], cc[r.id]) for r in requests]


async def request_answer(request: ApprovalRequest) -> ApprovalPayload:
    return (await render_requests([request]))[0]


def render_entry(entry: ApprovalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "request_id": entry.request_id,
        "action": entry.action,
        "actor_id": entry.actor_id,
        "step_number": entry.step_number,
        "body": entry.body,
        "target_id": entry.target_id,
        "created_at": iso(entry.created_at),
    }
