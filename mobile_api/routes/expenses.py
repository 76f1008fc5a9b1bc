"""Expense claims (费用报销): lines with receipts, approval, the finance export."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import approvals as a
from mobile_api.schemas import contracts as s
from server.actions import approvals, expenses
from server.queries import expenses as q


@api.get("/api/v1/expenses", query=s.ClaimsQuery, response=s.ClaimList)
async def list_claims(call: Call) -> Any:
    """Claims of the caller and their team; `updated_since` adds tombstones."""
    query = call.query
    filters = {"owner_id": query.owner_id, "status": query.status}
    return await q.list_claims(call.viewer, filters, query.limit, query.cursor, query.updated_since)


@api.post("/api/v1/expenses", body=s.ClaimIn, response=s.Claim, status=201, idempotent=True)
async def create_claim(call: Call) -> Any:
    """A draft claim; receipts are photo ids from POST /api/v1/photos."""
    return await q.claim_answer(await expenses.create_claim(call.viewer, call.changes()))


@api.get("/api/v1/expenses/export.csv", query=s.ExportQuery, produces="text/csv")
async def export_claims(call: Call) -> Response:
    """Approved claims the caller sees, one row per line, for finance (UTF-8 with a BOM)."""
    text = await q.approved_claims_csv(call.viewer, call.query.approved_from, call.query.approved_to)
    return Response(text.encode(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="expenses.csv"'})


@api.get("/api/v1/expenses/{id:int}", response=s.Claim)
async def get_claim(call: Call) -> Any:
    """One claim with its lines and total."""
    return await q.claim_answer(await q.access_claim(call.viewer, call["id"]))


@api.patch("/api/v1/expenses/{id:int}", body=s.ClaimPatchIn, response=s.Claim, errors=(403, 409))
async def update_claim(call: Call) -> Any:
    """Change a draft; `lines` replace the old ones. 409 `under_review` while it is reviewed."""
    data = call.changes()
    return await q.claim_answer(await expenses.update_claim(call.viewer, call["id"], data, if_match(call.request)))


@api.delete("/api/v1/expenses/{id:int}", status=204, errors=(403, 409))
async def delete_claim(call: Call) -> None:
    """Delete a draft."""
    await expenses.delete_claim(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/expenses/{id:int}/submit", body=s.SubmitIn, response=a.Request, status=201, idempotent=True,
          errors=(403, 409))
async def submit_claim(call: Call) -> Any:
    """Submit a draft with at least one line for approval under the expense template."""
    return await approvals.submit_record(call.viewer, "expense", call["id"], call.changes())
