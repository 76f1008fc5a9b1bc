"""Daily quota targets (effective contacts, new key customers) per role and per department."""

from __future__ import annotations

from typing import Any, Literal

from mobile_api.routing import Call, api
from mobile_api.schemas import quotas as s
from server.actions import quotas
from server.errors import invalid_field
from server.queries import quotas as q

ROLES: tuple[Literal["admin", "manager", "rep"], ...] = ("admin", "manager", "rep")


@api.get("/api/v1/quotas", response=s.QuotaBook, errors=(403,))
async def list_quotas(call: Call) -> Any:
    """The default targets and every value set per role and per department (managers, admins)."""
    return await q.list_quotas(call.viewer)


@api.put("/api/v1/quotas/roles/{role}", body=s.QuotaIn, response=s.Quota, errors=(403,))
async def set_role_quota(call: Call) -> Any:
    """Set a role's daily targets (administrators); a department's value overrides it."""
    if call["role"] not in ROLES:
        raise invalid_field("role", "must be admin, manager or rep")
    row = await quotas.set_quota(call.viewer, call.changes(), role=call["role"])
    return q.render_quota(row)


@api.put("/api/v1/quotas/departments/{id:int}", body=s.QuotaIn, response=s.Quota, errors=(403,))
async def set_department_quota(call: Call) -> Any:
    """Set a department's daily targets (administrators); they apply to its sub-departments too."""
    row = await quotas.set_quota(call.viewer, call.changes(), department_id=call["id"])
    return q.render_quota(row)
