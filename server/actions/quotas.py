"""Setting the daily quota targets of a role or a department (administrators).

A value of null removes it there, so the target is inherited again (the
department above, the role, the server's default: `server.queries.quotas`).
"""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.errors import not_found
from server.models.identity import Department
from server.models.quotas import QuotaTarget
from server.queries.quotas import TARGETS
from server.transaction import atomic


async def set_quota(viewer: Viewer, data: dict[str, Any], *, role: str | None = None,
                    department_id: int | None = None) -> QuotaTarget:
    """Set the targets given in `data` for one role or one department; 404 for no such department."""
    viewer.require_admin()
    if department_id is not None and not await Department.exists(id=department_id):
        raise not_found("department")
    key: dict[str, Any] = {"role": role} if role is not None else {"department_id": department_id}
    async with atomic():
        row = await QuotaTarget.select_for_update().get_or_none(**key)
        if row is None:
            row, _ = await QuotaTarget.get_or_create(**key)
        for name in TARGETS:
            if name in data:
                setattr(row, name, data[name])
        row.updated_by_id = viewer.id
        await row.save()
    return row
