"""回款: payment plans (when the customer should pay) and payment records (what came in).

A contract's `collected` is the sum of its records and each plan's `collected`
the sum of the records made against it, both kept in the same transaction as
the record under the contract's row lock. Payments are recorded on approved
(active or completed) contracts only. Overdue unsettled plans remind the
contract's owner once (`remind_overdue_payments`, a scheduler job).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.actions.claims import claim_due
from server.actions.notify import notify
from server.actions.versioning import check_version, soft_delete
from server.clock import utcnow
from server.errors import conflict, forbidden, invalid_field
from server.i18n import Text
from server.models.contracts import Contract, PaymentPlan, PaymentRecord
from server.queries.approvals import check_not_under_review
from server.queries.contracts import access_contract, access_payment, access_plan, manages_contract
from server.transaction import atomic

COLLECTING = ("active", "completed")
REMIND_BATCH = 100


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


async def _locked_contract(viewer: Viewer, contract_id: int) -> Contract:
    """The contract's row, locked, when the viewer may change it and it is not under review."""
    contract = await access_contract(viewer, contract_id)
    if not manages_contract(viewer, contract):
        raise forbidden("Only the contract's owner or their manager may change its payments.")
    contract = await Contract.select_for_update().get(id=contract_id)
    await check_not_under_review("contract", contract_id)
    return contract


async def add_plan(viewer: Viewer, contract_id: int, data: dict[str, Any]) -> PaymentPlan:
    async with atomic():
        await _locked_contract(viewer, contract_id)
        return await PaymentPlan.create(contract_id=contract_id, due_on=data["due_on"], amount=_money(data["amount"]),
                                        note=data.get("note"))


async def update_plan(viewer: Viewer, plan_id: int, data: dict[str, Any], expected_version: int | None) -> PaymentPlan:
    """A new due date is reminded about again when it passes."""
    plan = await access_plan(viewer, plan_id)
    async with atomic():
        await _locked_contract(viewer, plan.contract_id)
        plan = await PaymentPlan.select_for_update().get(id=plan_id)
        check_version(plan, expected_version)
        if data.get("due_on") is not None and data["due_on"] != plan.due_on:
            plan.due_on, plan.reminded_at = data["due_on"], None
        if data.get("amount") is not None:
            plan.amount = _money(data["amount"])
        if "note" in data:
            plan.note = data["note"]
        plan.settled = plan.collected >= plan.amount
        plan.version += 1
        await plan.save()
    return plan


async def delete_plan(viewer: Viewer, plan_id: int, expected_version: int | None) -> None:
    plan = await access_plan(viewer, plan_id)
    async with atomic():
        await _locked_contract(viewer, plan.contract_id)
        plan = await PaymentPlan.select_for_update().get(id=plan_id)
        await soft_delete(plan, expected_version)


async def record_payment(viewer: Viewer, contract_id: int, data: dict[str, Any]) -> PaymentRecord:
    """A payment received; never more than what is outstanding (422 on `amount`)."""
    amount = _money(data["amount"])
    async with atomic():
        contract = await _locked_contract(viewer, contract_id)
        if contract.status not in COLLECTING:
            raise conflict("Payments are recorded on approved contracts.", status=contract.status)
        if amount > contract.amount - contract.collected:
            raise invalid_field("amount", f"is more than the outstanding {contract.amount - contract.collected}")
        plan = None
        if data.get("plan_id") is not None:
            plan = await PaymentPlan.select_for_update().get_or_none(
                id=data["plan_id"], contract_id=contract_id, deleted_at=None)
            if plan is None:
                raise invalid_field("plan_id", "is not a payment plan of this contract")
        payment = await PaymentRecord.create(
            contract_id=contract_id, plan_id=plan and plan.id, paid_on=data["paid_on"], amount=amount,
            method=data.get("method"), note=data.get("note"), recorded_by=viewer.id,
        )
        await _count(contract, plan, amount)
        if contract.owner_id != viewer.id:
            await notify([contract.owner_id], "system", Text("payment.recorded", contract=contract.name),
                         Text("payment.recorded.body", actor=viewer.user.name, amount=str(amount),
                              currency=contract.currency), link_type="contract", link_id=contract.id)
    return payment


async def _count(contract: Contract, plan: PaymentPlan | None, amount: Decimal) -> None:
    contract.collected += amount
    contract.version += 1
    await contract.save()
    if plan is not None:
        plan.collected += amount
        plan.settled = plan.collected >= plan.amount
        plan.version += 1
        await plan.save()


async def delete_payment(viewer: Viewer, payment_id: int) -> None:
    """A payment recorded by mistake; the collected amounts go down again."""
    payment = await access_payment(viewer, payment_id)
    async with atomic():
        contract = await _locked_contract(viewer, payment.contract_id)
        payment = await PaymentRecord.get(id=payment_id)
        plan = await PaymentPlan.select_for_update().get_or_none(id=payment.plan_id) if payment.plan_id else None
        await payment.delete()
        await _count(contract, plan, -payment.amount)


async def remind_overdue_payments(today: dt.date | None = None) -> int:
    """Tell each owner once about planned payments of active contracts past their day and not settled.

    Every process may run this at once: `claim_due` marks each plan reminded in
    the same transaction as the notification, so each is told about once.
    """
    today = today or utcnow().date()
    async with atomic():
        plans = await claim_due(
            "payment_plans",
            due="settled = ? AND reminded_at IS NULL AND deleted_at IS NULL AND due_on < ? AND contract_id IN "
                "(SELECT id FROM contracts WHERE status = 'active' AND deleted_at IS NULL)",
            due_params=[False, today], order_by="due_on, id", limit=REMIND_BATCH,
            set_sql="reminded_at = ?", set_params=[utcnow()], returning="id, contract_id",
        )
        for row in plans:
            plan = await PaymentPlan.get(id=row["id"])
            contract = await Contract.get(id=row["contract_id"])
            await notify([contract.owner_id], "reminder", Text("payment.overdue", contract=contract.name),
                         Text("payment.overdue.body", day=plan.due_on, amount=str(plan.amount - plan.collected),
                              currency=contract.currency), link_type="contract", link_id=contract.id)
    return len(plans)
