"""Approval requests (审批): submit, approve, reject, return, withdraw, comment, forward.

Each action locks the request's row, checks its state and writes the request,
its steps, the approvers' inbox rows, a log entry, notifications and the
`approval.updated` / `approval.counts` events in one transaction. Two people
deciding the same step at once, or a decision racing a withdrawal, queue on
that row lock: the second finds the state changed and gets 409
`already_decided`. docs/approvals.md describes the model.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.actions.approval_subjects import lock_subject, settle_subject
from server.actions.notify import notify
from server.actions.versioning import check_version
from server.clock import utcnow
from server.errors import AppError, ErrorCode, forbidden, invalid_field
from server.events import ApprovalPayload, EventType
from server.i18n import Text
from server.models.approvals import (
    ApprovalCc,
    ApprovalEntry,
    ApprovalRequest,
    ApprovalStep,
    ApprovalTask,
    ApprovalTemplate,
    ApprovalTemplateVersion,
)
from server.models.identity import User
from server.queries.approval_chain import resolve_chain
from server.queries.approvals import access_request, counts
from server.queries.orm import column
from server.render.approvals import render_entry, request_answer
from server.transaction import atomic, emit


def _kind(kind: str) -> Text:
    return Text(f"approval_kind.{kind}")


def _remark(viewer: Viewer, text: str | None) -> Text | str:
    """"Name: what they wrote", or nothing when they wrote nothing."""
    return Text("approval.remark", actor=viewer.user.name, text=text) if text else ""


def already_decided(request: ApprovalRequest) -> AppError:
    return AppError(
        ErrorCode.ALREADY_DECIDED,
        f"Approval request {request.id} changed first (now {request.status}); reload it.",
        {"request_id": request.id, "status": request.status, "current_step": request.current_step},
    )


async def _template_for(kind: str, template_id: int | None) -> ApprovalTemplate:
    qs = ApprovalTemplate.filter(deleted_at=None, kind=kind)
    template = await (qs.get_or_none(id=template_id) if template_id is not None else qs.order_by("-id").first())
    if template is None:
        if template_id is not None:
            raise invalid_field("template_id", f"names no approval template of kind {kind}")
        raise invalid_field("kind", "has no approval template yet; an administrator defines one first")
    return template


async def _check_people(field: str, user_ids: list[int]) -> list[int]:
    wanted = sorted(set(user_ids))
    found = await column(User.filter(id__in=wanted, active=True), "id")
    if len(found) != len(wanted):
        raise invalid_field(field, "names users that do not exist")
    return wanted


async def _audience(request: ApprovalRequest) -> set[int]:
    """Who hears about every change: submitter, everyone asked to decide, the CC list."""
    asked = await column(ApprovalTask.filter(request_id=request.id), "user_id")
    copied = await column(ApprovalCc.filter(request_id=request.id), "user_id")
    return {request.submitter_id, *asked, *copied}


async def _publish(request: ApprovalRequest, inbox_changed: set[int]) -> None:
    """`approval.updated` to the audience, the new counts to the submitter and whose inbox changed."""
    emit(EventType.APPROVAL_UPDATED, sorted(await _audience(request)), await request_answer(request))
    for user_id in sorted(inbox_changed | {request.submitter_id}):
        emit(EventType.APPROVAL_COUNTS, [user_id], await counts(user_id))


async def _log(request: ApprovalRequest, action: str, actor_id: int, **extra: Any) -> None:
    await ApprovalEntry.create(request_id=request.id, action=action, actor_id=actor_id, **extra)


async def _start_step(request: ApprovalRequest, step: ApprovalStep, submitter_name: str) -> set[int]:
    step.status = "pending"
    step.started_at = utcnow()
    await step.save()
    request.current_step = step.number
    for user_id in step.approver_ids:
        await ApprovalTask.create(request_id=request.id, step_number=step.number, user_id=user_id)
    await notify(step.approver_ids, "approval", Text("approval.waiting", title=request.title),
                 Text("approval.waiting.body", submitter=submitter_name, kind=_kind(request.kind), step=step.number + 1),
                 link_type="approval", link_id=request.id)
    return set(step.approver_ids)


async def _close_tasks(request: ApprovalRequest) -> set[int]:
    """Close every open inbox row of the request; the users whose inbox shrank."""
    users = set(await column(ApprovalTask.filter(request_id=request.id, open=True), "user_id"))
    await ApprovalTask.filter(request_id=request.id, open=True).update(open=False)
    return users


async def submit_record(viewer: Viewer, kind: str, record_id: int, data: dict[str, Any]) -> ApprovalPayload:
    """Submit a record (a contract, an expense claim) for approval under its kind's template."""
    return await submit_request(viewer, {**data, "kind": kind, "subject": {"type": kind, "id": record_id}})


async def submit_request(viewer: Viewer, data: dict[str, Any]) -> ApprovalPayload:
    """A new request under the newest template of its kind (or `template_id`), its first step
    in the approvers' inboxes. A request about a record locks that record until it ends."""
    kind, subject = data["kind"], data.get("subject")
    cc_ids = await _check_people("cc_ids", data.get("cc_ids") or [])
    amount = None if data.get("amount") is None else Decimal(str(data["amount"])).quantize(Decimal("0.01"))
    async with atomic():
        template = await _template_for(kind, data.get("template_id"))
        version = await ApprovalTemplateVersion.get(template_id=template.id, number=template.version)
        currency, title = (data.get("currency") or "CNY").upper(), (data.get("title") or "").strip()
        if subject is not None:
            amount, currency, default_title = await lock_subject(viewer, subject["type"], subject["id"], kind, amount)
            title = title or default_title
        if not title:
            raise invalid_field("title", "is required")
        request = await ApprovalRequest.create(
            kind=kind, template_id=template.id, template_number=version.number, allow_forward=version.allow_forward,
            title=title[:200], amount=amount, currency=currency, data=data.get("data") or {},
            subject_type=subject and subject["type"], subject_id=subject and subject["id"], submitter_id=viewer.id,
        )
        chain = await resolve_chain(viewer.user, version.steps, amount)
        steps = [await ApprovalStep.create(request_id=request.id, number=n, kind=s["kind"], approver_ids=s["approver_ids"])
                 for n, s in enumerate(chain)]
        for user_id in cc_ids:
            await ApprovalCc.create(request_id=request.id, user_id=user_id)
        await _log(request, "submitted", viewer.id, body=data.get("comment"))
        changed = await _start_step(request, steps[0], viewer.user.name)
        await request.save()
        if cc_ids:
            await notify(cc_ids, "approval", Text("approval.cc", title=request.title),
                         Text("approval.cc.body", submitter=viewer.user.name, kind=_kind(kind)),
                         link_type="approval", link_id=request.id)
        await _publish(request, changed)
        return await request_answer(request)


async def _locked(viewer: Viewer, request_id: int, expected_version: int | None) -> ApprovalRequest:
    await access_request(viewer, request_id)
    request = await ApprovalRequest.select_for_update().get(id=request_id)
    check_version(request, expected_version)
    return request


async def _my_task(viewer: Viewer, request: ApprovalRequest, step: int | None) -> ApprovalStep:
    """The current step, when the viewer may decide it: 409 if it moved on, 403 if never theirs."""
    if request.status != "pending" or (step is not None and step != request.current_step):
        raise already_decided(request)
    mine = await ApprovalTask.filter(request_id=request.id, user_id=viewer.id).values_list("step_number", "open")
    if (request.current_step, True) not in mine:
        if mine:
            raise already_decided(request)
        raise forbidden("You are not an approver of this request's current step.")
    return await ApprovalStep.get(request_id=request.id, number=request.current_step)


async def decide(viewer: Viewer, request_id: int, decision: str, comment: str | None,
                 step: int | None = None, expected_version: int | None = None) -> ApprovalPayload:
    """approve · reject · return (for changes). Reject and return end the request and unlock its record;
    the last approval ends it approved. `step` (or If-Match) makes sure the decision is for what the approver saw."""
    if decision in ("rejected", "returned") and not (comment or "").strip():
        raise invalid_field("reason", "is required to reject or return a request")
    async with atomic():
        request = await _locked(viewer, request_id, expected_version)
        current = await _my_task(viewer, request, step)
        current.status, current.decided_at, current.decided_by, current.comment = decision, utcnow(), viewer.id, comment
        await current.save()
        changed = await _close_tasks(request)
        await _log(request, decision, viewer.id, step_number=current.number, body=comment)
        following = await ApprovalStep.filter(request_id=request.id, number__gt=current.number).order_by("number")
        if decision == "approved" and following:
            submitter = await User.get(id=request.submitter_id)
            changed |= await _start_step(request, following[0], submitter.name)
            await notify([request.submitter_id], "approval",
                         Text("approval.step_passed", step=current.number + 1, title=request.title),
                         _remark(viewer, comment), link_type="approval", link_id=request.id)
        else:
            await _finish(request, decision, comment if decision != "approved" else None, following)
        request.version += 1
        await request.save()
        await _publish(request, changed)
        return await request_answer(request)


async def _finish(request: ApprovalRequest, outcome: str, reason: str | None, following: list[ApprovalStep]) -> None:
    request.status, request.reason, request.current_step, request.decided_at = outcome, reason, None, utcnow()
    for step in following:
        step.status = "cancelled"
        await step.save()
    await settle_subject(request.subject_type, request.subject_id, outcome)
    copied = await column(ApprovalCc.filter(request_id=request.id), "user_id")
    recipients = {request.submitter_id, *copied} if outcome != "withdrawn" else set(copied)
    await notify(recipients, "approval", Text(f"approval.{outcome}", title=request.title), reason or "",
                 link_type="approval", link_id=request.id)


async def withdraw(viewer: Viewer, request_id: int, expected_version: int | None = None) -> ApprovalPayload:
    """The submitter takes back a pending request; its record unlocks."""
    async with atomic():
        request = await _locked(viewer, request_id, expected_version)
        if request.submitter_id != viewer.id:
            raise forbidden("Only the submitter may withdraw a request.")
        if request.status != "pending":
            raise already_decided(request)
        waiting = await column(ApprovalTask.filter(request_id=request.id, open=True), "user_id")
        changed = await _close_tasks(request)
        steps = await ApprovalStep.filter(request_id=request.id, status__in=("pending", "waiting"))
        await _finish(request, "withdrawn", None, steps)
        await notify(waiting, "approval", Text("approval.withdrawn", title=request.title),
                     link_type="approval", link_id=request.id)
        await _log(request, "withdrawn", viewer.id)
        request.version += 1
        await request.save()
        await _publish(request, changed)
        return await request_answer(request)


async def forward(viewer: Viewer, request_id: int, user_id: int, comment: str | None,
                  step: int | None = None) -> ApprovalPayload:
    """Hand the current step to someone else (转交), when the template version allows it."""
    async with atomic():
        request = await _locked(viewer, request_id, None)
        current = await _my_task(viewer, request, step)
        if not request.allow_forward:
            raise forbidden("This request's template does not allow forwarding.")
        await _check_people("user_id", [user_id])
        if user_id == request.submitter_id or user_id in current.approver_ids:
            raise invalid_field("user_id", "is the submitter or already an approver of this step")
        changed = await _close_tasks(request)
        current.approver_ids = [user_id]
        await current.save()
        await _log(request, "forwarded", viewer.id, step_number=current.number, body=comment, target_id=user_id)
        await ApprovalTask.create(request_id=request.id, step_number=current.number, user_id=user_id)
        await notify([user_id], "approval", Text("approval.forwarded", title=request.title), _remark(viewer, comment),
                     link_type="approval", link_id=request.id)
        request.version += 1
        await request.save()
        await _publish(request, changed | {user_id})
        return await request_answer(request)


async def comment(viewer: Viewer, request_id: int, body: str) -> dict[str, Any]:
    """A remark in the request's log; the submitter and the current approvers are told."""
    text = body.strip()
    if not text:
        raise invalid_field("body", "must not be empty")
    async with atomic():
        request = await access_request(viewer, request_id)
        entry = await ApprovalEntry.create(request_id=request.id, action="commented", actor_id=viewer.id, body=text)
        waiting = await column(ApprovalTask.filter(request_id=request.id, open=True), "user_id")
        await notify({request.submitter_id, *waiting} - {viewer.id}, "approval",
                     Text("approval.comment", title=request.title), _remark(viewer, text),
                     link_type="approval", link_id=request.id)
    return render_entry(entry)

