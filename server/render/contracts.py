"""Contracts, payment plans and payments (回款) as the API shows them."""

from __future__ import annotations

from typing import Any

from server.models.contracts import Contract, PaymentPlan, PaymentRecord
from server.render import iso
from server.render.approvals import money


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def render_contract(contract: Contract, review_request_id: int | None = None) -> dict[str, Any]:
    return {
        "id": contract.id,
        "customer_id": contract.customer_id,
        "opportunity_id": contract.opportunity_id,
        "number": contract.number,
        "name": contract.name,
        "amount": money(contract.amount),
        "currency": contract.currency,
        "signed_on": _day(contract.signed_on),
        "start_on": _day(contract.start_on),
        "end_on": _day(contract.end_on),
        "status": contract.status,
        "collected": money(contract.collected),
        "outstanding": money(contract.amount - contract.collected),
        "file_ids": list(contract.file_ids or []),
        "notes": contract.notes,
        "owner_id": contract.owner_id,
        "review_request_id": review_request_id,
        "activated_at": iso(contract.activated_at),
        "created_at": iso(contract.created_at),
        "updated_at": iso(contract.updated_at),
        "version": contract.version,
    }


def render_plan(plan: PaymentPlan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "contract_id": plan.contract_id,
        "due_on": _day(plan.due_on),
        "amount": money(plan.amount),
        "collected": money(plan.collected),
        "settled": plan.settled,
        "note": plan.note,
        "reminded_at": iso(plan.reminded_at),
        "created_at": iso(plan.created_at),
        "updated_at": iso(plan.updated_at),
        "version": plan.version,
    }


def render_payment(payment: PaymentRecord) -> dict[str, Any]:
    return {
        "id": payment.id,
        "contract_id": payment.contract_id,
        "plan_id": payment.plan_id,
        "paid_on": _day(payment.paid_on),
        "amount": money(payment.amount),
        "method": payment.method,
        "note": payment.note,
        "recorded_by": payment.recorded_by,
        "created_at": iso(payment.created_at),
    }
