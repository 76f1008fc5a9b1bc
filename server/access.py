"""Who may see what: the visibility rules of API.md in one place.

admin sees everything; a manager sees records owned by users in the
departments they manage, recursively; a rep sees their own records (record
modules add shared records and the public pool on top of `owner_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from server.errors import forbidden
from server.models.identity import Department, Role, User
from server.queries.orm import column


@dataclass
class Viewer:
    """The acting user with their scope, computed once per request or socket."""

    user: User
    scope_department_ids: frozenset[int] = frozenset()
    team_user_ids: frozenset[int] = frozenset()
    managed_department_ids: tuple[int, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.user.role == Role.MANAGER

    def owner_ids(self) -> frozenset[int] | None:
        """Owners whose records this viewer sees; None means everyone's."""
        if self.is_admin:
            return None
        return self.team_user_ids | {self.user.id}

    def sees_owner(self, owner_id: int | None) -> bool:
        owners = self.owner_ids()
        return owners is None or owner_id in owners

    def manages_user(self, user_id: int) -> bool:
        """True for admins and for managers whose scope holds that user."""
        return self.is_admin or (self.is_manager and user_id in self.team_user_ids)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise forbidden("Only an administrator may do this.")

    def require_manager(self) -> None:
        if not (self.is_admin or self.is_manager):
            raise forbidden("Only a manager or an administrator may do this.")


async def department_children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for dept_id, parent_id in await Department.all().values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(dept_id)
    return children


def subtree(children: dict[int | None, list[int]], roots: Iterable[int]) -> set[int]:
    """The given departments and all below them."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        dept = stack.pop()
        if dept in seen:
            continue
        seen.add(dept)
        stack.extend(children.get(dept, ()))
    return seen


async def department_subtree(roots: Iterable[int]) -> set[int]:
    return subtree(await department_children(), roots)


# One statement instead of three: this runs on every request a manager makes.
MANAGER_SCOPE_SQL = """
WITH RECURSIVE scope(id) AS (
    SELECT department_id FROM user_managed_departments WHERE user_id = {0}
    UNION
    SELECT d.id FROM departments d JOIN scope s ON d.parent_id = s.id
)
SELECT 'd' AS kind, id FROM scope
UNION ALL SELECT 'u', u.id FROM users u WHERE u.department_id IN (SELECT id FROM scope)
UNION ALL SELECT 'm', department_id FROM user_managed_departments WHERE user_id = {0}
"""


async def managed_user_ids(user: User) -> tuple[frozenset[int], frozenset[int], tuple[int, ...]]:
    """(scope departments, users in them, directly managed departments) of a manager."""
    if user.role != Role.MANAGER:
        return frozenset(), frozenset(), ()
    connection = connections.get("default")
    mark = "$1" if connection.capabilities.dialect == "postgres" else "?"
    params = [user.id] if mark == "$1" else [user.id, user.id]
    _, rows = await connection.execute_query(MANAGER_SCOPE_SQL.format(mark), params)
    found: dict[str, set[int]] = {"d": set(), "u": set(), "m": set()}
    for row in rows:
        found[row["kind"]].add(row["id"])
    return frozenset(found["d"]), frozenset(found["u"]), tuple(sorted(found["m"]))


async def managed_department_ids(user_id: int) -> list[int]:
    return await column(Department.filter(managers__id=user_id), "id")


async def viewer_for(user: User) -> Viewer:
    scope, team, direct = await managed_user_ids(user)
    return Viewer(user, scope, team, direct)


async def managers_of(user_id: int) -> list[int]:
    """Managers whose scope holds the user (used for escalations and follows).

    Walks up from the user's department to the root and asks once for the
    managers of any of those departments, rather than expanding every
    manager's subtree (this runs for each feed item posted).
    """
    user = await User.get_or_none(id=user_id)
    if user is None or user.department_id is None:
        return []
    parents = dict(await Department.all().values_list("id", "parent_id"))
    ancestors: set[int] = set()
    dept: int | None = user.department_id
    while dept is not None and dept not in ancestors:
        ancestors.add(dept)
        dept = parents.get(dept)
    ids = await column(User.filter(
        role=Role.MANAGER, active=True, managed_departments__id__in=sorted(ancestors)
    ), "id")
    return sorted(set(ids) - {user_id})
