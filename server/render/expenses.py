"""Expense claims with their lines as the API shows them."""

from __future__ import annotations

from typing import Any

from server.models.expenses import ExpenseClaim, ExpenseLine
from server.render import iso
from server.render.approvals import money


def render_line(line: ExpenseLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "spent_on": line.spent_on.isoformat(),
        "category": line.category,
        "amount": money(line.amount),
        "note": line.note,
        "receipt_ids": list(line.receipt_ids or []),
        "checkin_id": line.checkin_id,
        "customer_id": line.customer_id,
    }


def render_claim(claim: ExpenseClaim, lines: list[ExpenseLine], review_request_id: int | None = None) -> dict[str, Any]:
    return {
        "id": claim.id,
        "title": claim.title,
        "currency": claim.currency,
        "total": money(claim.total),
        "status": claim.status,
        "owner_id": claim.owner_id,
        "lines": [render_line(line) for line in sorted(lines, key=lambda line: line.position)],
        "review_request_id": review_request_id,
        "approved_at": iso(claim.approved_at),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "version": claim.version,
    }
