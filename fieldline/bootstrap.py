"""Command-line set-up: the first administrator, departments by path, users from a CSV file.

A department is named by its id or by its path from the top, segments joined
by `/` ("Head Office/East/Shanghai"); a single name matches a department of
that name anywhere when only one has it.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field

from server.actions.users import create_department, create_user
from server.errors import AppError, invalid_field
from server.models.identity import Department, User

IMPORT_COLUMNS = ("login", "name", "role", "department", "email", "mobile", "title", "timezone")
REQUIRED_COLUMNS = ("login", "name", "role")


def _segments(path: str) -> list[str]:
    return [part.strip() for part in path.split("/") if part.strip()]


async def find_department(path: str) -> Department | None:
    """The department `path` names (an id, a path, or a name unique in the tree), or None."""
    text = path.strip()
    if text.isdigit():
        return await Department.get_or_none(id=int(text))
    segments = _segments(text)
    if not segments:
        return None
    if len(segments) == 1 and "/" not in text:
        matches = await Department.filter(name=segments[0]).limit(2)
        if len(matches) > 1:
            raise invalid_field("department", f"several departments are named {segments[0]!r}; give its path (Top/…/{segments[0]}) or id")
        if matches:
            return matches[0]
    parent: Department | None = None
    for segment in segments:
        parent = await Department.filter(name=segment, parent_id=parent.id if parent else None).first()
        if parent is None:
            return None
    return parent


async def ensure_department_path(path: str) -> tuple[Department, list[str]]:
    """The department at `path`, creating each missing level; returns it and the paths created."""
    segments = _segments(path)
    if not segments:
        raise invalid_field("path", "must name a department, e.g. \"Head Office/East\"")
    parent: Department | None = None
    created: list[str] = []
    for depth, segment in enumerate(segments):
        found = await Department.filter(name=segment, parent_id=parent.id if parent else None).first()
        if found is None:
            found = await create_department(None, segment, parent.id if parent else None)
            created.append("/".join(segments[: depth + 1]))
        parent = found
    assert parent is not None  # `segments` is not empty
    return parent, created


async def department_lines() -> list[str]:
    """The tree, one department a line: indented path name, id and member count."""
    departments = await Department.all().order_by("name", "id")
    counts: dict[int | None, int] = {}
    for user in await User.all().only("id", "department_id"):
        counts[user.department_id] = counts.get(user.department_id, 0) + 1
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    lines: list[str] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for department in children.get(parent_id, []):
            members = counts.get(department.id, 0)
            lines.append(f"{'  ' * depth}{department.name}  (id {department.id}, {members} member{'s' * (members != 1)})")
            walk(department.id, depth + 1)

    walk(None, 0)
    return lines


async def department_id_for(path: str | None) -> int | None:
    if not path:
        return None
    department = await find_department(path)
    if department is None:
        raise invalid_field("department", f"no department {path!r}; create it first: fieldline departments create {path!r}")
    return department.id


async def create_user_from_cli(login: str, name: str, role: str, department: str | None, password: str) -> int:
    department_id = await department_id_for(department)
    user = await create_user(
        None,
        {"login": login, "name": name, "role": role, "department_id": department_id, "password": password},
    )
    return user.id


@dataclass
class ImportResult:
    created: list[tuple[str, str]] = field(default_factory=list)  # (login, first password)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def _problem(error: AppError) -> str:
    fields = (error.details or {}).get("fields")
    return "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else error.message


async def import_users(text: str) -> ImportResult:
    """Create a user per CSV row (header: login,name,role[,department,email,mobile,title,timezone]).

    Each gets a random first password (returned, to hand over; they change it
    after signing in). A refused row is reported with its line and the rest go on.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise invalid_field("file", f"the header needs the columns {', '.join(missing)} (known: {', '.join(IMPORT_COLUMNS)})")
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    if unknown:
        raise invalid_field("file", f"unknown columns {', '.join(unknown)} (known: {', '.join(IMPORT_COLUMNS)})")
    result = ImportResult()
    for row in reader:
        values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        password = secrets.token_urlsafe(12)
        data = {key: values[key] for key in ("login", "name", "role")}
        data.update({key: values[key] for key in ("email", "mobile", "title", "timezone") if values.get(key)})
        data["password"] = password
        try:
            data["department_id"] = await department_id_for(values.get("department"))
            await create_user(None, data)
        except AppError as error:
            result.errors.append((reader.line_num, _problem(error)))
            continue
        except ValueError as error:  # a role that is not one
            result.errors.append((reader.line_num, f"role: must be admin, manager or rep ({error})"))
            continue
        result.created.append((data["login"], password))
    return result
