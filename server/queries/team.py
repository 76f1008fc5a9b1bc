"""Whose field work a viewer may look at: themselves, their team, everyone.

`?user_id=` and `?department_id=` narrow that scope; asking for someone
outside it is 403 (colleagues are not secret, their records are).
"""

from __future__ import annotations

from server.access import Viewer, department_subtree
from server.errors import forbidden, invalid_field
from server.models.identity import Department, Role, User
from server.queries.orm import column


async def scope_user_ids(
    viewer: Viewer, *, user_id: int | None = None, department_id: int | None = None
) -> set[int]:
    """The ids of people whose records the viewer asks about and may see."""
    owners = viewer.owner_ids()
    if user_id is not None:
        if owners is not None and user_id not in owners:
            raise forbidden("You may only look at your own records and your team's.")
        if not await User.exists(id=user_id):
            raise invalid_field("user_id", "is not a colleague")
        ids = {user_id}
    elif owners is None:
        ids = set(await column(User.all(), "id"))
    else:
        ids = set(owners)
    if department_id is not None:
        ids &= await _department_members(viewer, department_id)
    return ids


async def _department_members(viewer: Viewer, department_id: int) -> set[int]:
    if not await Department.exists(id=department_id):
        raise invalid_field("department_id", "is not a department")
    if viewer.is_manager and department_id not in viewer.scope_department_ids:
        raise forbidden("This department is outside the ones you manage.")
    departments = await department_subtree([department_id])
    return set(await column(User.filter(department_id__in=list(departments)), "id"))


async def reps_among(user_ids: set[int]) -> list[User]:
    """The active reps among these people, by name (whose reports and quotas count)."""
    return await User.filter(id__in=list(user_ids), role=Role.REP, active=True).order_by("name", "id")
