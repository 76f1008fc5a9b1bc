"""Command-line account creation (the first administrator)."""

from __future__ import annotations

from server.actions.users import create_user
from server.errors import invalid_field
from server.models.identity import Department


async def create_user_from_cli(login: str, name: str, role: str, department: str | None, password: str) -> int:
    department_id = None
    if department:
        dept = await (
            Department.get_or_none(id=int(department)) if department.isdigit()
            else Department.filter(name=department).first()
        )
        if dept is None:
            raise invalid_field("department", f"no department named {department!r}")
        department_id = dept.id
    user = await create_user(
        None,
        {"login": login, "name": name, "role": role, "department_id": department_id, "password": password},
    )
    return user.id
