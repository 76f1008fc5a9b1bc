"""Contracts (合同): drafts, submission for approval (locked while reviewed), terms, files.

A draft may change freely; once submitted it is locked until the request ends
(409 `under_review`); once approved it is `active` and only its notes, files
and end state (completed, terminated) change. Payments: server/actions/payments.py.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.actions.customers import check_owner
from server.actions.record_photos import check_photos, link_photos
from server.actions.versioning import check_version, mark_deleted
from server.errors import ErrorCode, conflict, forbidden, invalid_field
from server.models.contracts import Contract
from server.queries.approvals import check_not_under_review
from server.queries.contracts import access_contract, manages_contract
from server.queries.customers import access_customer
from server.queries.opportunities import access_opportunity
from server.transaction import atomic

TERMS = ("number", "name", "amount", "currency", "signed_on", "start_on", "end_on", "customer_id", "opportunity_id")
ALWAYS = ("notes", "file_ids", "status")
# PATCH may only end an active contract; the rest of the life cycle is the approval's.
STATUS_MOVES = {("active", "completed"), ("active", "terminated"), ("completed", "active")}


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


async def _check_links(viewer: Viewer, values: dict[str, Any]) -> None:
    if values.get("customer_id") is not None:
        await access_customer(viewer, values["customer_id"])
    if values.get("opportunity_id") is not None:
        opportunity = await access_opportunity(viewer, values["opportunity_id"])
        if values.get("customer_id") is not None and opportunity.customer_id != values["customer_id"]:
            raise invalid_field("opportunity_id", "belongs to another customer")
    if values.get("file_ids") is not None:
        values["file_ids"] = await check_photos(viewer, "file_ids", values["file_ids"])


async def _unique_number(number: str, contract_id: int | None) -> None:
    if await Contract.filter(number=number).exclude(id=contract_id or 0).exists():
        raise conflict(f"Contract number {number} is taken.", ErrorCode.DUPLICATE, field="number")


async def create_contract(viewer: Viewer, data: dict[str, Any]) -> Contract:
    """A draft contract at a customer the caller sees, owned by them (or `owner_id` in their team)."""
    values = {k: data[k] for k in (*TERMS, "notes", "file_ids") if data.get(k) is not None}
    await _check_links(viewer, values)
    owner_id = data.get("owner_id") or viewer.id
    await check_owner(viewer, owner_id)
    values["amount"] = _money(values["amount"])
    values["currency"] = values.get("currency", "CNY").upper()
    async with atomic():
        number = values.pop("number", None)
        if number:
            await _unique_number(number, None)
        contract = await Contract.create(**values, number=number or f"draft-{uuid.uuid4().hex}", owner_id=owner_id)
        if not number:
            contract.number = f"HT{contract.created_at:%Y%m%d}{contract.id:05d}"
            await contract.save()
        await link_photos("contract", contract.id, contract.file_ids)
    return contract


async def contract_from_opportunity(viewer: Viewer, opportunity_id: int) -> Contract:
    """The draft of a won opportunity's contract: its customer, name, amount, currency and owner."""
    opportunity = await access_opportunity(viewer, opportunity_id)
    if opportunity.status != "won":
        raise conflict("Only a won opportunity makes a contract.", status=opportunity.status)
    return await create_contract(viewer, {
        "customer_id": opportunity.customer_id, "opportunity_id": opportunity.id, "name": opportunity.name,
        "amount": opportunity.amount, "currency": opportunity.currency,
        "owner_id": opportunity.owner_id if opportunity.owner_id and viewer.sees_owner(opportunity.owner_id) else None,
    })


async def update_contract(viewer: Viewer, contract_id: int, data: dict[str, Any],
                          expected_version: int | None = None) -> Contract:
    contract = await access_contract(viewer, contract_id)
    if not manages_contract(viewer, contract):
        raise forbidden("Only the owner or their manager may change this contract.")
    values = {k: v for k, v in data.items() if k in (*TERMS, *ALWAYS)}
    for name in ("number", "name", "amount", "currency", "customer_id", "status"):
        if name in values and values[name] is None:
            raise invalid_field(name, "must not be null")
    await _check_links(viewer, values)
    if values.get("amount") is not None:
        values["amount"] = _money(values["amount"])
    if values.get("currency") is not None:
        values["currency"] = values["currency"].upper()
    async with atomic():
        contract = await Contract.select_for_update().get(id=contract_id)
        check_version(contract, expected_version)
        await check_not_under_review("contract", contract_id)
        _check_changes(contract, values)
        if values.get("number"):
            await _unique_number(values["number"], contract.id)
        for name, value in values.items():
            setattr(contract, name, value)
        contract.version += 1
        await contract.save()
        if "file_ids" in values:
            await link_photos("contract", contract.id, contract.file_ids)
    return contract


def _check_changes(contract: Contract, values: dict[str, Any]) -> None:
    terms = [k for k in values if k in TERMS and values[k] != getattr(contract, k)]
    if contract.status != "draft" and terms:
        raise conflict(f"The terms of a {contract.status} contract do not change; only notes, files and its end.",
                       fields=terms)
    status = values.get("status")
    if status is not None and status != contract.status and (contract.status, status) not in STATUS_MOVES:
        raise conflict(f"A {contract.status} contract cannot become {status} here; submit it for approval.",
                       status=contract.status)
    if "amount" in values and values["amount"] < contract.collected:
        raise invalid_field("amount", "is less than what was already collected")


async def delete_contract(viewer: Viewer, contract_id: int, expected_version: int | None = None) -> None:
    """Drafts only: an approved contract is ended (terminated), not deleted."""
    contract = await access_contract(viewer, contract_id)
    if not manages_contract(viewer, contract):
        raise forbidden("Only the owner or their manager may delete this contract.")
    async with atomic():
        contract = await Contract.select_for_update().get(id=contract_id)
        check_version(contract, expected_version)
        await check_not_under_review("contract", contract_id)
        if contract.status != "draft":
            raise conflict("Only a draft contract may be deleted; end an active one (terminated).",
                           status=contract.status)
        await mark_deleted(contract)
