"""User and Department as the API shows them (never a password hash)."""

from __future__ import annotations

from typing import Any

from server.clock import utcnow
from server.models.identity import Department, User
from server.render import iso


def render_user(user: User, managed_department_ids: list[int] | None = None) -> dict[str, Any]:
    managed = managed_department_ids
    if managed is None:
        prefetched = getattr(user, "_managed_ids", None)
        managed = list(prefetched) if prefetched is not None else []
    return {
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "role": user.role.value,
        "department_id": user.department_id,
        "managed_department_ids": sorted(managed),
        "email": user.email,
        "mobile": user.mobile,
        "title": user.title,
        "timezone": user.timezone,
        "language": user.language,
        "locked": bool(user.locked_until and user.locked_until > utcnow()) or user.inactive_locked_at is not None,
        "active": user.active,
        "must_change_credentials": user.must_change_password,
        "created_at": iso(user.created_at),
    }


def render_department(dept: Department, children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": dept.id,
        "name": dept.name,
        "parent_id": dept.parent_id,
        "children": children or [],
    }


def render_directory_entry(user: User, department_name: str | None) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "title": user.title,
        "department_id": user.department_id,
        "department": department_name,
        "mobile": user.mobile,
        "email": user.email,
    }
