"""Contracts (合同): drafts, approval (locked while reviewed), payment plans and payments (回款)."""

from __future__ import annotations

from typing import Any

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import approvals as a
from mobile_api.schemas import contracts as s
from server.actions import approvals, contracts, payments
from server.queries import contracts as q
from server.render.contracts import render_payment, render_plan


@api.get("/api/v1/contracts", query=s.ContractsQuery, response=s.ContractList)
async def list_contracts(call: Call) -> Any:
    """Contracts of customers the caller sees and those owned by their team; `updated_since` adds tombstones."""
    query = call.query
    filters = {"customer_id": query.customer_id, "opportunity_id": query.opportunity_id,
               "owner_id": query.owner_id, "status": query.status}
    return await q.list_contracts(call.viewer, filters, query.limit, query.cursor, query.updated_since)


@api.post("/api/v1/contracts", body=s.ContractIn, response=s.Contract, status=201, idempotent=True,
          errors=(403, 409))
async def create_contract(call: Call) -> Any:
    """A draft contract; 409 `duplicate` when the number is taken."""
    contract = await contracts.create_contract(call.viewer, call.changes())
    return await q.contract_answer(contract)


@api.post("/api/v1/opportunities/{id:int}/contract", response=s.Contract, status=201, idempotent=True,
          errors=(409,))
async def contract_from_opportunity(call: Call) -> Any:
    """The contract draft of a won opportunity (409 while it is not won)."""
    return await q.contract_answer(await contracts.contract_from_opportunity(call.viewer, call["id"]))


@api.get("/api/v1/contracts/{id:int}", response=s.Contract)
async def get_contract(call: Call) -> Any:
    """One contract with its collected and outstanding amounts."""
    return await q.contract_answer(await q.access_contract(call.viewer, call["id"]))


@api.patch("/api/v1/contracts/{id:int}", body=s.ContractPatchIn, response=s.Contract, errors=(403, 409))
async def update_contract(call: Call) -> Any:
    """Change a draft, or an active contract's notes, files and end. 409 `under_review` while it is reviewed."""
    data = call.changes()
    contract = await contracts.update_contract(call.viewer, call["id"], data, if_match(call.request))
    return await q.contract_answer(contract)


@api.delete("/api/v1/contracts/{id:int}", status=204, errors=(403, 409))
async def delete_contract(call: Call) -> None:
    """Delete a draft."""
    await contracts.delete_contract(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/contracts/{id:int}/submit", body=s.SubmitIn, response=a.Request, status=201, idempotent=True,
          errors=(403, 409))
async def submit_contract(call: Call) -> Any:
    """Submit a draft for approval under the contract template: it is locked until the decision."""
    return await approvals.submit_record(call.viewer, "contract", call["id"], call.changes())


@api.get("/api/v1/contracts/{id:int}/payment-plans", query=s.ListQuery, response=s.PlanList)
async def list_plans(call: Call) -> Any:
    """The contract's planned payments, in the order they were planned."""
    return await q.list_plans(call.viewer, call["id"], call.query.limit, call.query.cursor)


@api.post("/api/v1/contracts/{id:int}/payment-plans", body=s.PlanIn, response=s.Plan, status=201, idempotent=True,
          errors=(403, 409))
async def add_plan(call: Call) -> Any:
    """Plan a payment; its owner is reminded once when the day passes unpaid."""
    return render_plan(await payments.add_plan(call.viewer, call["id"], call.changes()))


@api.patch("/api/v1/payment-plans/{id:int}", body=s.PlanPatchIn, response=s.Plan, errors=(403, 409))
async def update_plan(call: Call) -> Any:
    """Move or change a planned payment."""
    data = call.changes()
    return render_plan(await payments.update_plan(call.viewer, call["id"], data, if_match(call.request)))


@api.delete("/api/v1/payment-plans/{id:int}", status=204, errors=(403, 409))
async def delete_plan(call: Call) -> None:
    """Drop a planned payment."""
    await payments.delete_plan(call.viewer, call["id"], if_match(call.request))


@api.get("/api/v1/contracts/{id:int}/payments", query=s.ListQuery, response=s.PaymentList)
async def list_payments(call: Call) -> Any:
    """Payments received, newest first."""
    return await q.list_payments(call.viewer, call["id"], call.query.limit, call.query.cursor)


@api.post("/api/v1/contracts/{id:int}/payments", body=s.PaymentIn, response=s.Payment, status=201, idempotent=True,
          errors=(403, 409))
async def record_payment(call: Call) -> Any:
    """Record a payment on an approved contract (at most the outstanding amount)."""
    data = call.changes()
    return render_payment(await payments.record_payment(call.viewer, call["id"], data))


@api.delete("/api/v1/payments/{id:int}", status=204, errors=(403, 409))
async def delete_payment(call: Call) -> None:
    """Remove a payment recorded by mistake."""
    await payments.delete_payment(call.viewer, call["id"])
