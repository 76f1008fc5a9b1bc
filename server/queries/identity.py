"""Colleagues, departments and the directory. Everyone in the company sees colleagues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.expressions import Q

from server.access import Viewer
from server.errors import not_found
from server.models.identity import Department, User
from server.paging import newest_first, page
from server.render.identity import render_department, render_directory_entry, render_user
from server.render.vcard import vcard


async def _managed_map(user_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {uid: [] for uid in user_ids}
    rows = await Department.filter(managers__id__in=user_ids).values_list("managers__id", "id")
    for user_id, dept_id in rows:
        result.setdefault(user_id, []).append(dept_id)
    return result


async def render_users(users: list[User]) -> list[dict[str, Any]]:
    managed = await _managed_map([u.id for u in users])
    return [render_user(u, managed.get(u.id, [])) for u in users]


async def list_users(
    viewer: Viewer, limit: int, cursor: str | None, department_id: int | None = None, q: str | None = None
) -> dict[str, Any]:
    qs = User.all()
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(login__icontains=q))
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page(await render_users(rows), next_cursor)


async def access_user(viewer: Viewer, user_id: int) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("user")
    return user


def own_answer(viewer: Viewer) -> dict[str, Any]:
    """The caller's own account, from what signing in already read (a manager's
    managed departments are part of their viewer; nobody else manages any)."""
    return render_user(viewer.user, list(viewer.managed_department_ids))


async def user_answer(user: User) -> dict[str, Any]:
    return (await render_users([user]))[0]


async def department_tree() -> list[dict[str, Any]]:
    departments = await Department.all().order_by("id")
    nodes = {d.id: render_department(d) for d in departments}
    roots: list[dict[str, Any]] = []
    for dept in departments:
        node = nodes[dept.id]
        parent = None if dept.parent_id is None else nodes.get(dept.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


async def directory() -> list[dict[str, Any]]:
    names = dict(await Department.all().values_list("id", "name"))
    users = await User.filter(active=True).order_by("department_id", "name", "id")
    return [render_directory_entry(u, names.get(u.department_id)) for u in users]


async def directory_vcards() -> str:
    entries = await directory()
    return "".join(
        vcard(
            e["name"],
            org=e["department"],
            title=e["title"],
            phones=[("CELL", e["mobile"] or "")],
            email=e["email"],
        )
        for e in entries
    )


# What text for a person is written in: their language and time zone.
Reader = tuple[str, str]


async def readers_of(user_ids: Iterable[int]) -> dict[int, Reader]:
    """Each person's language and time zone (server.i18n), in one query."""
    rows = await User.filter(id__in=sorted(set(user_ids))).values_list("id", "language", "timezone")
    return {user_id: (language, timezone) for user_id, language, timezone in rows}
