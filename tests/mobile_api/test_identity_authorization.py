"""Every identity route, tried by each kind of caller.

Colleagues and departments are company-wide (everyone signed in reads them);
changing them is for administrators, except a user's own contact details.
"""

from __future__ import annotations

import pytest

import mobile_api.routes.auth  # noqa: F401  (registers the routes swept here)
import mobile_api.routes.users  # noqa: F401
from mobile_api.routing import api

ROLES = ["admin", "manager_east", "rep_west", None]


def _cases(org):
    uid = org.rep_east1.id
    dept = org.departments["east"].id
    return [
        ("GET", "/api/v1/me", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("GET", "/api/v1/users", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("GET", f"/api/v1/users/{uid}", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("PATCH", f"/api/v1/users/{uid}", {"title": "x"}, {"admin": 200, "manager_east": 403, "rep_west": 403, None: 401}),
        ("POST", f"/api/v1/users/{uid}/unlock", None, {"admin": 200, "manager_east": 403, "rep_west": 403, None: 401}),
        ("POST", "/api/v1/users", {"login": "z", "name": "Z", "password": "long-enough-pw", "role": "rep"},
         {"admin": 201, "manager_east": 403, "rep_west": 403, None: 401}),
        ("POST", "/api/v1/departments", {"name": "D"}, {"admin": 201, "manager_east": 403, "rep_west": 403, None: 401}),
        ("PATCH", f"/api/v1/departments/{dept}", {"name": "East 2"}, {"admin": 200, "manager_east": 403, "rep_west": 403, None: 401}),
        ("GET", "/api/v1/departments", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("GET", "/api/v1/directory", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("GET", "/api/v1/directory.vcf", None, {"admin": 200, "manager_east": 200, "rep_west": 200, None: 401}),
        ("GET", "/api/v1/users/999999", None, {"admin": 404, "manager_east": 404, "rep_west": 404, None: 401}),
        ("POST", "/api/v1/auth/logout", None, {"admin": 204, "manager_east": 204, "rep_west": 204, None: 401}),
    ]


@pytest.mark.parametrize("who", ROLES)
async def test_identity_routes_answer_each_role_as_documented(org, who):
    for method, path, body, expected in _cases(org):
        if path.endswith("/logout"):
            continue  # it ends the session; tried last below
        kwargs = {"json": body} if body is not None else {}
        if method == "POST" and who == "admin" and body and "login" in body:
            body = {**body, "login": f"z{method}{len(path)}"}
            kwargs = {"json": body}
        response = await org.request(who, method, path, **kwargs)
        assert response.status_code == expected[who], f"{who} {method} {path}: {response.text}"
    logout = await org.request(who, "POST", "/api/v1/auth/logout")
    assert logout.status_code == {None: 401}.get(who, 204)


def test_every_identity_route_is_in_the_sweep():
    covered = {"/api/v1/me", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/users/{id}/unlock",
               "/api/v1/departments", "/api/v1/departments/{id}", "/api/v1/directory", "/api/v1/directory.vcf",
               "/api/v1/auth/logout", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/me/password",
               "/api/v1/users/{id}/reset-password"}
    identity = {e.openapi_path for e in api.endpoints
                if e.handler.__module__ in ("mobile_api.routes.users", "mobile_api.routes.auth")}
    assert identity <= covered, identity - covered
