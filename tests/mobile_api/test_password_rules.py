"""New passwords: at least 10 characters, not common, not built from the login
or name; on create, admin reset and one's own change, each with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from server.passwords import password_problem
from tests.conftest import PASSWORD

NEW_USER = {"login": "zhao.lei", "name": "Zhao Lei", "role": "rep"}
REFUSED = {
    "short1234": "at least 10 characters",
    "password123": "common",
    "1234567890": "common",
    "qwertyuiop": "common",
    "iloveyou12": "common",
    "zhao.lei2026": "login or name",
    "ZhaoLei-1990": "login or name",
    "lei.zhao.secret": "login or name",
}


def test_the_demo_and_fixture_passwords_pass_the_rules() -> None:
    assert password_problem("fieldline-demo", "wang.jl", "王经理") is None
    assert password_problem(PASSWORD, "rep_west", "Will West") is None


@pytest.mark.parametrize("password, reason", REFUSED.items())
async def test_creating_a_user_with_a_weak_password_is_422_saying_why(org: Any, password: str, reason: str) -> None:
    answer = await org.post("admin", "/api/v1/users", {**NEW_USER, "password": password})
    assert answer.status_code == 422, answer.text
    assert reason in answer.json()["error"]["details"]["fields"]["password"]


@pytest.mark.parametrize("password, reason", [("password123", "common"), ("Will-West-forever", "login or name"),
                                              ("rep_west_2026", "login or name")])
async def test_reset_and_change_refuse_weak_passwords_too(org: Any, password: str, reason: str) -> None:
    reset = await org.post("admin", f"/api/v1/users/{org.rep_west.id}/reset-password", {"password": password})
    assert reset.status_code == 422 and reason in reset.json()["error"]["details"]["fields"]["password"]
    change = await org.put("rep_west", "/api/v1/me/password", {"old_password": PASSWORD, "new_password": password})
    assert change.status_code == 422 and reason in change.json()["error"]["details"]["fields"]["new_password"]
    assert (await org.get("rep_west", "/api/v1/me")).status_code == 200  # nothing changed, nobody signed out


async def test_a_strong_password_is_taken(org: Any) -> None:
    created = await org.post("admin", "/api/v1/users", {**NEW_USER, "password": "violet-kettle-harbor"})
    assert created.status_code == 201, created.text
