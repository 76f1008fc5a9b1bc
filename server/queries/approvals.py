"""Who sees which approval requests, the approver's inbox and the record locks.

A request is seen by its submitter, by whoever sees the submitter's records
(their managers, admins), by everyone who was asked to decide a step of it and
by the people on its CC list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import AppError, ErrorCode, not_found
from server.events import ApprovalCountsPayload
from server.models.approvals import ApprovalCc, ApprovalEntry, ApprovalRequest, ApprovalTask, ApprovalTemplate
from server.paging import changed_since, newest_first, oldest_first, page, tombstone
from server.render.approvals import render_entry, render_requests, render_template

M = TypeVar("M", bound=Model)


def visible_templates(include_deleted: bool = False) -> QuerySet[ApprovalTemplate]:
    return ApprovalTemplate.all() if include_deleted else ApprovalTemplate.filter(deleted_at=None)


async def access_template(viewer: Viewer, template_id: int) -> ApprovalTemplate:
    """Every signed-in user may read templates (a submitter sees the chain ahead)."""
    template = await visible_templates().get_or_none(id=template_id)
    if template is None:
        raise not_found("approval template")
    return template


async def list_templates(kind: str | None, limit: int, cursor: str | None,
                         updated_since: dt.datetime | None) -> dict[str, Any]:
    qs = visible_templates(include_deleted=updated_since is not None)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if updated_since is not None:
        rows, next_cursor = await changed_since(qs, updated_since, limit, cursor)
        items = [tombstone(r.id) if r.deleted_at else render_template(r) for r in rows]
    else:
        rows, next_cursor = await newest_first(qs, limit, cursor)
        items = [render_template(r) for r in rows]
    return page(items, next_cursor)


def involvement_q(viewer: Viewer) -> Q:
    """Requests the viewer was asked to decide or is copied on."""
    asked = Subquery(ApprovalTask.filter(user_id=viewer.id).values("request_id"))
    copied = Subquery(ApprovalCc.filter(user_id=viewer.id).values("request_id"))
    return Q(id__in=asked) | Q(id__in=copied)


def visible_requests(viewer: Viewer) -> QuerySet[ApprovalRequest]:
    owners = viewer.owner_ids()
    if owners is None:
        return ApprovalRequest.all()
    return ApprovalRequest.filter(Q(submitter_id__in=sorted(owners)) | involvement_q(viewer))


async def access_request(viewer: Viewer, request_id: int) -> ApprovalRequest:
    request = await visible_requests(viewer).get_or_none(id=request_id)
    if request is None:
        raise not_found("approval request")
    return request


async def seen_or_asked(viewer: Viewer, visible: QuerySet[M], subject_type: str, subject_id: int) -> M:
    """The record if the viewer sees it, or was asked to decide a request about it (approvers
    read what they decide); 404 otherwise."""
    record = await visible.get_or_none(id=subject_id)
    if record is None and await ApprovalTask.filter(
        user_id=viewer.id, request__subject_type=subject_type, request__subject_id=subject_id
    ).exists():
        record = await visible.model.get_or_none(id=subject_id, deleted_at=None)
    if record is None:
        raise not_found(subject_type)
    return record


async def pending_request_for(subject_type: str, subject_id: int) -> ApprovalRequest | None:
    return await ApprovalRequest.filter(
        subject_type=subject_type, subject_id=subject_id, status="pending"
    ).order_by("-id").first()


async def check_not_under_review(subject_type: str, subject_id: int) -> None:
    """409 `under_review` naming the request while one is pending on the record (锁定审核).

    Callers run it after locking the record's row, and submitting locks the same
    row, so an edit and a submission never both pass.
    """
    request = await pending_request_for(subject_type, subject_id)
    if request is not None:
        raise AppError(
            ErrorCode.UNDER_REVIEW,
            f"This record is locked while approval request {request.id} is under review; "
            "withdraw it or wait for the decision.",
            {"request_id": request.id},
        )


async def list_requests(viewer: Viewer, box: str, filters: dict[str, Any], limit: int, cursor: str | None,
                        updated_since: dt.datetime | None) -> dict[str, Any]:
    """mine: submitted by the viewer · cc: copied to them · decided: steps they decided · all: everything visible."""
    qs = visible_requests(viewer).filter(**{k: v for k, v in filters.items() if v is not None})
    if box == "mine":
        qs = qs.filter(submitter_id=viewer.id)
    elif box == "cc":
        qs = qs.filter(id__in=Subquery(ApprovalCc.filter(user_id=viewer.id).values("request_id")))
    elif box == "decided":
        qs = qs.filter(id__in=Subquery(ApprovalEntry.filter(
            actor_id=viewer.id, action__in=("approved", "rejected", "returned")).values("request_id")))
    if updated_since is not None:
        rows, next_cursor = await changed_since(qs, updated_since, limit, cursor)
    else:
        rows, next_cursor = await newest_first(qs, limit, cursor)
    return page(await render_requests(rows), next_cursor)


async def inbox(viewer: Viewer, limit: int, cursor: str | None) -> dict[str, Any]:
    """What waits for the viewer's decision, the longest-waiting first."""
    tasks, next_cursor = await oldest_first(ApprovalTask.filter(user_id=viewer.id, open=True), limit, cursor)
    requests = {r.id: r for r in await ApprovalRequest.filter(id__in=[t.request_id for t in tasks])}
    items = await render_requests([requests[t.request_id] for t in tasks])
    return page(items, next_cursor)


async def counts(user_id: int) -> ApprovalCountsPayload:
    """The inbox badge: requests waiting for the user's decision, and their own still under review."""
    return {
        "waiting": await ApprovalTask.filter(user_id=user_id, open=True).count(),
        "submitted_pending": await ApprovalRequest.filter(submitter_id=user_id, status="pending").count(),
    }


async def history(viewer: Viewer, request_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    """The request's log, oldest first: decisions, comments, forwards."""
    await access_request(viewer, request_id)
    rows, next_cursor = await oldest_first(ApprovalEntry.filter(request_id=request_id), limit, cursor)
    return page([render_entry(r) for r in rows], next_cursor)
