"""Creating and changing colleagues and departments (administrators)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError

from server import control
from server.access import Viewer, department_children, subtree
from server.actions.auth import check_new_password, revoke_sessions
from server.actions.chat import follow_department_change
from server.actions.customers_sight import record_team_changes, team_snapshot
from server.errors import AppError, ErrorCode, invalid, invalid_field, not_found
from server.models.events import EventCounter
from server.models.identity import Department, Role, User
from server.queries.orm import column
from server.security import hash_password
from server.settings import get_settings
from server.transaction import atomic, on_commit

# Changes that move people in or out of a manager's team (who sees whose customers).
TEAM_FIELDS = {"department_id", "role", "managed_department_ids"}
USER_FIELDS = ("name", "email", "mobile", "title", "timezone", "language", "role", "department_id", "active")


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid_field("timezone", "must be an IANA time zone such as Asia/Shanghai") from None


async def _check_departments(department_id: int | None, managed: list[int] | None) -> None:
    wanted = set(managed or []) | ({department_id} if department_id is not None else set())
    if not wanted:
        return
    found = set(await column(Department.filter(id__in=list(wanted)), "id"))
    missing = wanted - found
    if department_id in missing:
        raise invalid_field("department_id", "is not a department")
    if missing:
        raise invalid_field("managed_department_ids", f"has unknown departments {sorted(missing)}")


async def create_user(
    viewer: Viewer | None, data: dict[str, Any], *, password_hash: str | None = None
) -> User:
    """Add a colleague. `viewer=None` is the command line (bootstrap, demo)."""
    if viewer is not None:
        viewer.require_admin()
    role = Role(data["role"])
    check_timezone(data.get("timezone") or get_settings().default_timezone)
    await _check_departments(data.get("department_id"), data.get("managed_department_ids"))
    if password_hash is None:
        await check_new_password(data["password"], data["login"], data["name"], "password")
        password_hash = await hash_password(data["password"])
    if role != Role.MANAGER and data.get("managed_department_ids"):
        raise invalid_field("managed_department_ids", "applies to managers only")
    try:
        async with atomic():
            user = await User.create(
                login=data["login"],
                name=data["name"],
                role=role,
                department_id=data.get("department_id"),
                email=data.get("email"),
                mobile=data.get("mobile"),
                title=data.get("title"),
                timezone=data.get("timezone") or get_settings().default_timezone,
                must_change_password=viewer is not None and get_settings().password_change_at_first_sign_in,
                language=data.get("language") or get_settings().default_language,
                password_hash=password_hash,
            )
            await EventCounter.create(user_id=user.id, last_seq=0)
            await _set_managed(user, data.get("managed_department_ids") or [])
            await follow_department_change(user.id, None, user.department_id)
            on_commit(control.people_changed)  # a manager's team may have grown
    except IntegrityError:
        raise AppError(
            ErrorCode.DUPLICATE, f"The login {data['login']!r} is taken.", {"field": "login"}
        ) from None
    return user


async def _set_managed(user: User, department_ids: list[int]) -> None:
    await user.managed_departments.clear()
    if department_ids:
        departments = await Department.filter(id__in=department_ids)
        await user.managed_departments.add(*departments)


async def update_user(viewer: Viewer, user_id: int, data: dict[str, Any]) -> User:
    """Change a colleague (administrators only).

    Who someone is (name, title, role, department) is an administrator's to
    say: a rep who could rename himself 王经理 would receive the manager's
    @-mentions. A user changes their own contact details through `/me`.
    """
    viewer.require_admin()
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("user")
    if "timezone" in data:
        check_timezone(data["timezone"])
    await _check_departments(data.get("department_id"), data.get("managed_department_ids"))
    role = Role(data["role"]) if "role" in data else user.role
    if role != Role.MANAGER and data.get("managed_department_ids"):
        raise invalid_field("managed_department_ids", "applies to managers only")
    async with atomic():
        user = await User.select_for_update().get(id=user_id)
        teams = await team_snapshot() if set(data) & TEAM_FIELDS else None
        old_department_id = user.department_id
        for name in USER_FIELDS:
            if name in data:
                setattr(user, name, Role(data[name]) if name == "role" else data[name])
        await user.save()
        await follow_department_change(user.id, old_department_id, user.department_id)
        if "managed_department_ids" in data or role != Role.MANAGER:
            await _set_managed(user, data.get("managed_department_ids") or [])
        if data.get("active") is False:
            await revoke_sessions(user.id)
        if teams is not None:
            await record_team_changes(teams)
        on_commit(control.people_changed)
    return user


async def create_department(viewer: Viewer | None, name: str, parent_id: int | None) -> Department:
    """Add a department. `viewer=None` is the command line."""
    if viewer is not None:
        viewer.require_admin()
    if not name.strip():
        raise invalid({"name": "must not be empty"})
    if parent_id is not None and not await Department.exists(id=parent_id):
        raise invalid_field("parent_id", "is not a department")
    async with atomic():
        on_commit(control.people_changed)  # a manager's scope may have grown
        return await Department.create(name=name.strip(), parent_id=parent_id)


async def move_department(viewer: Viewer, department_id: int, data: dict[str, Any]) -> Department:
    """Rename a department or hang it under another (never under itself)."""
    viewer.require_admin()
    dept = await Department.get_or_none(id=department_id)
    if dept is None:
        raise not_found("department")
    parent_id = data.get("parent_id", dept.parent_id)
    if parent_id is not None:
        if not await Department.exists(id=parent_id):
            raise invalid_field("parent_id", "is not a department")
        if parent_id in subtree(await department_children(), [department_id]):
            raise invalid_field("parent_id", "would put the department inside itself")
    async with atomic():
        teams = await team_snapshot() if parent_id != dept.parent_id else None
        if "name" in data:
            dept.name = data["name"].strip() or dept.name
        dept.parent_id = parent_id
        await dept.save()
        if teams is not None:
            await record_team_changes(teams)
        on_commit(control.people_changed)
    return dept
