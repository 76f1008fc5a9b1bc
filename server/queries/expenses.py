"""Who sees which expense claims: the owner, their managers, admins, and whoever was asked to approve one."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from tortoise.queryset import QuerySet

from server.access import Viewer
from server.models.approvals import ApprovalRequest
from server.models.expenses import ExpenseClaim, ExpenseLine
from server.models.identity import User
from server.paging import page_of
from server.queries.approvals import seen_or_asked
from server.render.expenses import render_claim


def visible_claims(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[ExpenseClaim]:
    qs = ExpenseClaim.all() if include_deleted else ExpenseClaim.filter(deleted_at=None)
    owners = viewer.owner_ids()
    return qs if owners is None else qs.filter(owner_id__in=sorted(owners))


async def access_claim(viewer: Viewer, claim_id: int) -> ExpenseClaim:
    return await seen_or_asked(viewer, visible_claims(viewer), "expense", claim_id)


def manages_claim(viewer: Viewer, claim: ExpenseClaim) -> bool:
    return viewer.is_admin or claim.owner_id == viewer.id or viewer.manages_user(claim.owner_id)


async def render_claims(claims: list[ExpenseClaim]) -> list[dict[str, Any]]:
    ids = [c.id for c in claims]
    lines: dict[int, list[ExpenseLine]] = {i: [] for i in ids}
    pending: dict[int, int] = {}
    if ids:
        for line in await ExpenseLine.filter(claim_id__in=ids):
            lines[line.claim_id].append(line)
        reviewing = [c.id for c in claims if c.status == "reviewing"]
        pending = dict(await ApprovalRequest.filter(subject_type="expense", subject_id__in=reviewing, status="pending")
                       .values_list("subject_id", "id")) if reviewing else {}
    return [render_claim(c, lines[c.id], pending.get(c.id)) for c in claims]


async def claim_answer(claim: ExpenseClaim) -> dict[str, Any]:
    return (await render_claims([claim]))[0]


async def list_claims(viewer: Viewer, filters: dict[str, Any], limit: int, cursor: str | None,
                      updated_since: dt.datetime | None) -> dict[str, Any]:
    qs = visible_claims(viewer, include_deleted=updated_since is not None)
    qs = qs.filter(**{k: v for k, v in filters.items() if v is not None})
    return await page_of(qs, render_claims, limit, cursor, updated_since)

EXPORT_COLUMNS = ["claim_id", "title", "owner", "approved_at", "spent_on", "category", "amount", "currency",
                  "customer_id", "checkin_id", "receipts", "note"]


async def approved_claims_csv(viewer: Viewer, since: dt.datetime | None, until: dt.datetime | None) -> str:
    """One row per line of each approved claim the viewer sees (approved in [since, until)), for finance.
    UTF-8 with a BOM so that Excel shows Chinese."""
    qs = visible_claims(viewer).filter(status="approved")
    if since is not None:
        qs = qs.filter(approved_at__gte=since)
    if until is not None:
        qs = qs.filter(approved_at__lt=until)
    claims = await qs.order_by("approved_at", "id")
    names = dict(await User.filter(id__in={c.owner_id for c in claims}).values_list("id", "name"))
    lines: dict[int, list[ExpenseLine]] = {}
    for line in await ExpenseLine.filter(claim_id__in=[c.id for c in claims]).order_by("position"):
        lines.setdefault(line.claim_id, []).append(line)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for claim in claims:
        approved_at = claim.approved_at
        assert approved_at is not None  # an approved claim always has its approval time
        for line in lines.get(claim.id, []):
            writer.writerow([claim.id, claim.title, names.get(claim.owner_id, ""), approved_at.isoformat(),
                             line.spent_on.isoformat(), line.category, f"{line.amount:.2f}", claim.currency,
                             line.customer_id or "", line.checkin_id or "", " ".join(map(str, line.receipt_ids)),
                             line.note or ""])
    return "\ufeff" + out.getvalue()
