"""Who sees which contracts: like opportunities (those of customers they see, and those owned
by people in their scope), plus whoever was asked to approve one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.queryset import QuerySet

from server.access import Viewer
from server.errors import found_as, not_found
from server.models.approvals import ApprovalRequest
from server.models.contracts import Contract, PaymentPlan, PaymentRecord
from server.paging import newest_first, oldest_first, page, page_of
from server.queries.approvals import seen_or_asked
from server.queries.customers import by_customer_or_owner
from server.render.contracts import render_contract, render_payment, render_plan


def visible_contracts(viewer: Viewer, *, include_deleted: bool = False) -> QuerySet[Contract]:
    return by_customer_or_owner(viewer, Contract, include_deleted=include_deleted)


async def access_contract(viewer: Viewer, contract_id: int) -> Contract:
    return await seen_or_asked(viewer, visible_contracts(viewer), "contract", contract_id)


def manages_contract(viewer: Viewer, contract: Contract) -> bool:
    """Its owner, the owner's managers and admins may change it."""
    return viewer.is_admin or contract.owner_id == viewer.id or viewer.manages_user(contract.owner_id)


async def render_contracts(contracts: list[Contract]) -> list[dict[str, Any]]:
    """With the pending request that locks each one, in one more query."""
    ids = [c.id for c in contracts if c.status == "reviewing"]
    pending = dict(await ApprovalRequest.filter(subject_type="contract", subject_id__in=ids, status="pending")
                   .values_list("subject_id", "id")) if ids else {}
    return [render_contract(c, pending.get(c.id)) for c in contracts]


async def contract_answer(contract: Contract) -> dict[str, Any]:
    return (await render_contracts([contract]))[0]


async def list_contracts(viewer: Viewer, filters: dict[str, Any], limit: int, cursor: str | None,
                         updated_since: dt.datetime | None) -> dict[str, Any]:
    qs = visible_contracts(viewer, include_deleted=updated_since is not None)
    qs = qs.filter(**{k: v for k, v in filters.items() if v is not None})
    return await page_of(qs, render_contracts, limit, cursor, updated_since)

async def access_plan(viewer: Viewer, plan_id: int) -> PaymentPlan:
    plan = await PaymentPlan.get_or_none(id=plan_id, deleted_at=None)
    if plan is None:
        raise not_found("payment plan")
    with found_as("payment plan"):
        await access_contract(viewer, plan.contract_id)
    return plan


async def access_payment(viewer: Viewer, payment_id: int) -> PaymentRecord:
    payment = await PaymentRecord.get_or_none(id=payment_id)
    if payment is None:
        raise not_found("payment")
    with found_as("payment"):
        await access_contract(viewer, payment.contract_id)
    return payment


async def list_plans(viewer: Viewer, contract_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    await access_contract(viewer, contract_id)
    rows, next_cursor = await oldest_first(PaymentPlan.filter(contract_id=contract_id, deleted_at=None), limit, cursor)
    return page([render_plan(r) for r in rows], next_cursor)


async def list_payments(viewer: Viewer, contract_id: int, limit: int, cursor: str | None) -> dict[str, Any]:
    await access_contract(viewer, contract_id)
    rows, next_cursor = await newest_first(PaymentRecord.filter(contract_id=contract_id), limit, cursor)
    return page([render_payment(r) for r in rows], next_cursor)
