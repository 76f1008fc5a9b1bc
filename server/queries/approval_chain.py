"""Turning a template's steps into people: who decides each step of one submitter's request.

Step types (docs/approvals.md):
- `direct_manager`: the managers of the nearest department above the submitter
  (their own first) that has an active manager other than the submitter;
- `manager_above`: the same walk, continued past the direct manager's department;
- `user`: the named `user_id`;
- `role`: every active user with that `role` (any one of them decides).
A step with `min_amount` applies only when the request's amount is at least that.
A step that finds nobody goes to the administrators, so no request is approved
for want of an approver.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.models.identity import Department, Role, User
from server.queries.orm import column


def applies(step: dict[str, Any], amount: Decimal | None) -> bool:
    threshold = step.get("min_amount")
    return threshold is None or (amount or Decimal(0)) >= Decimal(str(threshold))


async def _department_path(user: User) -> list[int]:
    """The submitter's department and those above it, nearest first."""
    parents = dict(await Department.all().values_list("id", "parent_id"))
    path: list[int] = []
    dept = user.department_id
    while dept is not None and dept not in path:
        path.append(dept)
        dept = parents.get(dept)
    return path


async def _managers_by_department(path: list[int], submitter_id: int) -> list[list[int]]:
    """For each department of the path that has managers (other than the submitter), their ids."""
    rows = await User.filter(
        role=Role.MANAGER, active=True, managed_departments__id__in=path
    ).exclude(id=submitter_id).values_list("id", "managed_departments__id")
    by_dept: dict[int, set[int]] = {}
    for user_id, dept_id in rows:
        by_dept.setdefault(dept_id, set()).add(user_id)
    levels: list[list[int]] = []
    for dept in path:
        ids = sorted(by_dept.get(dept, ()))
        if ids and ids not in levels:
            levels.append(ids)
    return levels


async def _admins(exclude: int) -> list[int]:
    return sorted(await column(User.filter(role=Role.ADMIN, active=True).exclude(id=exclude), "id"))


async def _role_holders(role: str, exclude: int) -> list[int]:
    return sorted(await column(User.filter(role=role, active=True).exclude(id=exclude), "id"))


async def resolve_chain(submitter: User, steps: list[dict[str, Any]], amount: Decimal | None) -> list[dict[str, Any]]:
    """[{"kind", "approver_ids"}] for the steps that apply, in order."""
    levels: list[list[int]] | None = None
    chain = []
    for step in steps:
        if not applies(step, amount):
            continue
        kind = step["type"]
        ids: list[int] = []
        if kind in ("direct_manager", "manager_above"):
            if levels is None:
                levels = await _managers_by_department(await _department_path(submitter), submitter.id)
            index = 0 if kind == "direct_manager" else 1
            ids = levels[index] if len(levels) > index else []
        elif kind == "user":
            ids = await column(User.filter(id=step["user_id"], active=True), "id")
        elif kind == "role":
            ids = await _role_holders(step["role"], submitter.id)
        chain.append({"kind": kind, "approver_ids": sorted(ids) or await _admins(submitter.id) or [submitter.id]})
    return chain
