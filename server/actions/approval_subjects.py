"""What an approval request does to the record it is about (contract, expense claim, opportunity).

Submitting locks the record's row, checks nothing else is pending on it and
marks it under review; the final decision (or a withdrawal) sets its status.
The lock itself is the pending request: `check_not_under_review` refuses edits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.access import Viewer
from server.clock import utcnow
from server.errors import conflict, forbidden, invalid_field, not_found
from server.models.contracts import Contract
from server.models.customers import Opportunity
from server.models.expenses import ExpenseClaim
from server.queries.approvals import check_not_under_review
from server.queries.contracts import access_contract
from server.queries.expenses import access_claim
from server.queries.opportunities import access_opportunity

SUBJECT_TYPES = ("contract", "expense", "opportunity")
# Which kinds of request may be about which records.
KINDS_FOR = {"contract": ("contract",), "expense": ("expense",), "opportunity": ("discount", "custom")}
MODELS: dict[str, Any] = {"contract": Contract, "expense": ExpenseClaim, "opportunity": Opportunity}
ACCESS: dict[str, Any] = {"contract": access_contract, "expense": access_claim, "opportunity": access_opportunity}
SUBMITTABLE = {"contract": ("draft",), "expense": ("draft",)}
# The record's status after the outcome; opportunities keep theirs.
OUTCOME_STATUS = {
    "contract": {"approved": "active", "rejected": "draft", "returned": "draft", "withdrawn": "draft"},
    "expense": {"approved": "approved", "rejected": "draft", "returned": "draft", "withdrawn": "draft"},
}


def _title(subject_type: str, record: Any) -> str:
    if subject_type == "contract":
        return f"合同 {record.number} {record.name}"
    if subject_type == "expense":
        return f"费用报销 {record.title}"
    return f"商机 {record.name}"


async def lock_subject(viewer: Viewer, subject_type: str, subject_id: int, kind: str,
                       amount: Decimal | None) -> tuple[Decimal | None, str | None, str]:
    """Inside the submission's transaction: (amount, currency, default title) of the record,
    now marked under review. 404 when the viewer does not see it, 403 when they may not submit it."""
    if kind not in KINDS_FOR[subject_type]:
        raise invalid_field("kind", f"a request about a {subject_type} must be one of " + ", ".join(KINDS_FOR[subject_type]))
    await ACCESS[subject_type](viewer, subject_id)
    record = await MODELS[subject_type].select_for_update().get_or_none(id=subject_id, deleted_at=None)
    if record is None:
        raise not_found(subject_type)
    if record.owner_id != viewer.id and not viewer.manages_user(record.owner_id or 0):
        raise forbidden("Only the record's owner or their manager may submit it for approval.")
    await check_not_under_review(subject_type, subject_id)
    if subject_type in SUBMITTABLE:
        if record.status not in SUBMITTABLE[subject_type]:
            raise conflict(f"A {subject_type} in status {record.status} cannot be submitted.", status=record.status)
        record.status = "reviewing"
        record.version += 1
        await record.save()
    if subject_type == "contract":
        return record.amount, record.currency, _title(subject_type, record)
    if subject_type == "expense":
        if record.total <= 0:
            raise conflict("An expense claim needs at least one line before it is submitted.")
        return record.total, record.currency, _title(subject_type, record)
    return amount, record.currency, _title(subject_type, record)


async def settle_subject(subject_type: str | None, subject_id: int | None, outcome: str) -> None:
    """The record after the request ended (approved, rejected, returned or withdrawn)."""
    if subject_type not in OUTCOME_STATUS or subject_id is None:
        return
    record = await MODELS[subject_type].select_for_update().get_or_none(id=subject_id)
    if record is None:
        return
    record.status = OUTCOME_STATUS[subject_type][outcome]
    if outcome == "approved":
        setattr(record, "activated_at" if subject_type == "contract" else "approved_at", utcnow())
    record.version += 1
    await record.save()
