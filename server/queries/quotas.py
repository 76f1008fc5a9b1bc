"""The daily quota targets that apply to each person.

Each target (`effective_contacts`, `new_key_customers`) is decided on its own:
the value set for the person's department, else for the nearest department
above it that has one, else the value set for their role, else the server's
default (`daily_contacts_target`, `daily_new_key_customers_target`).
"""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.models.identity import Department, User
from server.models.quotas import QuotaTarget
from server.render import iso
from server.settings import get_settings

TARGETS = ("effective_contacts", "new_key_customers")


def default_targets() -> dict[str, int]:
    settings = get_settings()
    return {"effective_contacts": settings.daily_contacts_target,
            "new_key_customers": settings.daily_new_key_customers_target}


class QuotaBook:
    """Every value set, read once; `targets_for(user)` answers without the database."""

    def __init__(self, rows: list[QuotaTarget], parents: dict[int, int | None]) -> None:
        self.roles = {r.role: r for r in rows if r.role}
        self.departments = {r.department_id: r for r in rows if r.department_id}
        self.parents = parents

    def targets_for(self, role: str, department_id: int | None) -> dict[str, int]:
        targets = default_targets()
        chain: list[QuotaTarget] = []
        seen: set[int] = set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            if department_id in self.departments:
                chain.append(self.departments[department_id])
            department_id = self.parents.get(department_id)
        if role in self.roles:
            chain.append(self.roles[role])
        for name in TARGETS:
            value = next((getattr(row, name) for row in chain if getattr(row, name) is not None), None)
            if value is not None:
                targets[name] = value
        return targets


async def quota_book() -> QuotaBook:
    rows = await QuotaTarget.all()
    parents = dict(await Department.all().values_list("id", "parent_id"))
    return QuotaBook(rows, parents)


async def targets_for(user: User) -> dict[str, int]:
    role = user.role.value if hasattr(user.role, "value") else str(user.role)
    return (await quota_book()).targets_for(role, user.department_id)


def render_quota(row: QuotaTarget) -> dict[str, Any]:
    return {"role": row.role, "department_id": row.department_id,
            "effective_contacts": row.effective_contacts, "new_key_customers": row.new_key_customers,
            "updated_by": row.updated_by_id, "updated_at": iso(row.updated_at)}


async def list_quotas(viewer: Viewer) -> dict[str, Any]:
    """The default and every value set (managers and admins)."""
    viewer.require_manager()
    rows = await QuotaTarget.all().order_by("id")
    return {"default": default_targets(),
            "roles": [render_quota(r) for r in sorted(rows, key=lambda r: r.role or "") if r.role],
            "departments": [render_quota(r) for r in sorted(rows, key=lambda r: r.department_id or 0)
                            if r.department_id]}
