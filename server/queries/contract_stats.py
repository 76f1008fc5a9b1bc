"""Contract and 回款 figures for the dashboards, and how long approval steps wait for a decision.

A contract counts as signed from its approval (`activated_at`) unless it was
terminated; collected money counts on the day it was paid, for the
contract's owner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Count, Sum

from server.access import Viewer
from server.models.approvals import ApprovalStep
from server.models.contracts import Contract, PaymentRecord
from server.queries.approvals import visible_requests

SIGNED = ("active", "completed")


def _money(value: Any) -> float:
    return float(round(Decimal(str(value or 0)), 2))


async def contract_amounts(owner_ids: list[int], span: tuple[dt.datetime, dt.datetime], first: dt.date,
                           last: dt.date) -> tuple[dict[int, float], dict[int, float]]:
    """Per owner: amounts of contracts approved in the span, and payments received between the days."""
    signed = await Contract.filter(
        owner_id__in=owner_ids, status__in=SIGNED, deleted_at=None, activated_at__gte=span[0], activated_at__lt=span[1]
    ).annotate(total=Sum("amount")).group_by("owner_id").values_list("owner_id", "total")
    paid = await PaymentRecord.filter(
        contract__owner_id__in=owner_ids, contract__deleted_at=None, paid_on__gte=first, paid_on__lte=last
    ).annotate(total=Sum("amount")).group_by("contract__owner_id").values_list("contract__owner_id", "total")
    return {o: _money(t) for o, t in signed}, {o: _money(t) for o, t in paid}


async def contract_totals(owners: frozenset[int] | None) -> dict[str, Any]:
    """The funnel's last stage: signed contracts (count, amount) and what was collected on them."""
    qs = Contract.filter(deleted_at=None, status__in=SIGNED)
    if owners is not None:
        qs = qs.filter(owner_id__in=sorted(owners))
    rows = await qs.annotate(n=Count("id"), total=Sum("amount"), got=Sum("collected")).values_list("n", "total", "got")
    count, total, got = rows[0] if rows else (0, 0, 0)
    return {"contracts": {"count": count or 0, "amount": _money(total)}, "collected": _money(got),
            "outstanding": _money(Decimal(str(total or 0)) - Decimal(str(got or 0)))}


async def decision_times(viewer: Viewer, span: tuple[dt.datetime, dt.datetime], kind: str | None) -> dict[str, Any]:
    """Per template, version and step: how many decisions fell in the span and how long each step waited."""
    qs = ApprovalStep.filter(request_id__in=Subquery(visible_requests(viewer).values("id")), decided_at__gte=span[0],
                             decided_at__lt=span[1], status__in=("approved", "rejected", "returned"))
    if kind is not None:
        qs = qs.filter(request__kind=kind)
    rows = await qs.values_list("request__kind", "request__template_id", "request__template_number", "number",
                                "started_at", "decided_at")
    groups: dict[tuple[str, int, int, int], list[float]] = {}
    for kind_, template_id, version, number, started, decided in rows:
        groups.setdefault((kind_, template_id, version, number), []).append((decided - started).total_seconds())
    items = [
        {"kind": k, "template_id": t, "template_version": v, "step": n, "decisions": len(waits),
         "avg_seconds": round(sum(waits) / len(waits), 1), "max_seconds": round(max(waits), 1)}
        for (k, t, v, n), waits in sorted(groups.items())
    ]
    return {"items": items}
