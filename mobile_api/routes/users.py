"""Colleagues and departments; administrators manage them."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mobile_api.routing import Call, api
from mobile_api.schemas import identity as s
from server.actions import auth, users
from server.queries import identity as q


@api.get("/api/v1/users", query=s.UsersQuery, response=s.UserList)
async def list_users(call: Call) -> Any:
    """Colleagues visible to the caller."""
    query = call.query
    return await q.list_users(call.viewer, min(query.limit, 200), query.cursor, query.department_id, query.q)


@api.post("/api/v1/users", body=s.UserCreateIn, response=s.User, status=201, idempotent=True, errors=(403, 409))
async def create_user(call: Call) -> Any:
    """Add a colleague (administrators)."""
    user = await users.create_user(call.viewer, call.body.model_dump())
    return await q.user_answer(user)


@api.get("/api/v1/users/{id:int}", response=s.User)
async def get_user(call: Call) -> Any:
    """One colleague."""
    return await q.user_answer(await q.access_user(call.viewer, call["id"]))


@api.patch("/api/v1/users/{id:int}", body=s.UserPatchIn, response=s.User, errors=(403,))
async def update_user(call: Call) -> Any:
    """Change a colleague (administrators only; a user changes their own contact details through `/me`)."""
    user = await users.update_user(call.viewer, call["id"], call.changes())
    return await q.user_answer(user)


@api.post("/api/v1/users/{id:int}/unlock", response=s.User, errors=(403,))
async def unlock_user(call: Call) -> Any:
    """Lift a lockout after failed logins (administrators)."""
    return await q.user_answer(await auth.unlock_user(call.viewer, call["id"]))


@api.post("/api/v1/users/{id:int}/reset-password", body=s.ResetPasswordIn, response=s.User, errors=(403,))
async def reset_password(call: Call) -> Any:
    """Set a new password for a colleague (administrators); their sessions end."""
    return await q.user_answer(await auth.reset_password(call.viewer, call["id"], call.body.password))


@api.post("/api/v1/departments", body=s.DepartmentIn, response=s.Department, status=201, idempotent=True, errors=(403,))
async def create_department(call: Call) -> Any:
    """Add a department under an optional parent (administrators)."""
    dept = await users.create_department(call.viewer, call.body.name, call.body.parent_id)
    return {"id": dept.id, "name": dept.name, "parent_id": dept.parent_id, "children": []}


@api.patch("/api/v1/departments/{id:int}", body=s.DepartmentPatchIn, response=s.Department, errors=(403,))
async def update_department(call: Call) -> Any:
    """Rename a department or move it under another (administrators)."""
    dept = await users.move_department(call.viewer, call["id"], call.changes())
    return {"id": dept.id, "name": dept.name, "parent_id": dept.parent_id, "children": []}


@api.get("/api/v1/departments", response=s.DepartmentTree)
async def department_tree(call: Call) -> Any:
    """All departments as a tree."""
    return {"items": await q.department_tree()}


@api.get("/api/v1/directory", response=s.Directory)
async def directory(call: Call) -> Any:
    """The company directory: name, title, department, mobile, email."""
    return {"items": await q.directory()}


@api.get("/api/v1/directory.vcf", produces="text/vcard")
async def directory_vcf(call: Call) -> Response:
    """The directory as vCards 3.0."""
    body = await q.directory_vcards()
    return Response(body, media_type="text/vcard; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="directory.vcf"'})
