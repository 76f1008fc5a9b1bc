"""Expense claims (费用报销): lines with receipt photos, totals, submission for approval.

A draft changes freely (its lines are replaced as a whole); a submitted claim
is locked until its request ends (409 `under_review`); an approved one is
final and goes to finance through the CSV export.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.actions.record_photos import check_photos, link_photos
from server.actions.versioning import check_version, mark_deleted
from server.errors import conflict, forbidden
from server.models.expenses import ExpenseClaim, ExpenseLine
from server.queries.approvals import check_not_under_review
from server.queries.customers import access_customer
from server.queries.expenses import access_claim, manages_claim
from server.queries.visits import access_checkin
from server.transaction import atomic


async def _check_lines(viewer: Viewer, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for number, line in enumerate(lines):
        line["receipt_ids"] = await check_photos(viewer, f"lines.{number}.receipt_ids", line.get("receipt_ids") or [])
        if line.get("checkin_id") is not None:
            await access_checkin(viewer, line["checkin_id"])
        if line.get("customer_id") is not None:
            await access_customer(viewer, line["customer_id"])
        line["amount"] = Decimal(str(line["amount"])).quantize(Decimal("0.01"))
    return lines


async def _write_lines(claim: ExpenseClaim, lines: list[dict[str, Any]]) -> None:
    await ExpenseLine.filter(claim_id=claim.id).delete()
    for position, line in enumerate(lines):
        await ExpenseLine.create(claim_id=claim.id, position=position, spent_on=line["spent_on"],
                                 category=line["category"], amount=line["amount"], note=line.get("note"),
                                 receipt_ids=line["receipt_ids"], checkin_id=line.get("checkin_id"),
                                 customer_id=line.get("customer_id"))
    claim.total = sum((line["amount"] for line in lines), Decimal("0.00"))
    await link_photos("expense", claim.id, [r for line in lines for r in line["receipt_ids"]])


async def create_claim(viewer: Viewer, data: dict[str, Any]) -> ExpenseClaim:
    lines = await _check_lines(viewer, data.get("lines") or [])
    async with atomic():
        claim = await ExpenseClaim.create(title=data["title"].strip(), currency=(data.get("currency") or "CNY").upper(),
                                          owner_id=viewer.id)
        await _write_lines(claim, lines)
        await claim.save()
    return claim


async def update_claim(viewer: Viewer, claim_id: int, data: dict[str, Any],
                       expected_version: int | None = None) -> ExpenseClaim:
    """Drafts only; `lines`, when given, replace the old ones."""
    claim = await access_claim(viewer, claim_id)
    if not manages_claim(viewer, claim):
        raise forbidden("Only the claimant or their manager may change this claim.")
    lines = await _check_lines(viewer, data["lines"]) if data.get("lines") is not None else None
    async with atomic():
        claim = await _locked_draft(claim_id, expected_version)
        if data.get("title") is not None:
            claim.title = data["title"].strip()
        if data.get("currency") is not None:
            claim.currency = data["currency"].upper()
        if lines is not None:
            await _write_lines(claim, lines)
        claim.version += 1
        await claim.save()
    return claim


async def _locked_draft(claim_id: int, expected_version: int | None) -> ExpenseClaim:
    claim = await ExpenseClaim.select_for_update().get(id=claim_id)
    check_version(claim, expected_version)
    await check_not_under_review("expense", claim_id)
    if claim.status != "draft":
        raise conflict(f"An {claim.status} expense claim does not change.", status=claim.status)
    return claim


async def delete_claim(viewer: Viewer, claim_id: int, expected_version: int | None = None) -> None:
    claim = await access_claim(viewer, claim_id)
    if not manages_claim(viewer, claim):
        raise forbidden("Only the claimant or their manager may delete this claim.")
    async with atomic():
        await mark_deleted(await _locked_draft(claim_id, expected_version))
