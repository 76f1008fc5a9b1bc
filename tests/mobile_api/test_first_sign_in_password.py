"""慧聪 初始设置: an account an administrator created, or whose password an
administrator reset, chooses its own password at first sign-in; until then
every other route answers 403 `password_change_required`."""

from __future__ import annotations

import pytest

NEW_USER = {"login": "new.rep", "name": "欧阳娜娜", "password": "long-enough-pw", "role": "rep"}


async def sign_in(org, login: str, password: str) -> dict:
    response = await org.post(None, "/api/v1/auth/login", {"login": login, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_a_new_user_changes_the_password_before_anything_else(org) -> None:
    created = await org.post("admin", "/api/v1/users", {**NEW_USER, "department_id": org.departments["west"].id})
    assert created.json()["must_change_credentials"] is True
    tokens = await sign_in(org, "new.rep", "long-enough-pw")
    assert tokens["user"]["must_change_credentials"] is True
    for method, path in [("GET", "/api/v1/customers"), ("GET", "/api/v1/feed"), ("GET", "/api/v1/leads")]:
        refused = await org.client.request(method, path, headers=bearer(tokens))
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "password_change_required"
    refused = await org.client.post("/api/v1/customers", json={"name": "申城建材"}, headers=bearer(tokens))
    assert refused.json()["error"]["code"] == "password_change_required"
    me = await org.client.get("/api/v1/me", headers=bearer(tokens))
    assert me.status_code == 200 and me.json()["must_change_credentials"] is True
    changed = await org.client.put("/api/v1/me/password", headers=bearer(tokens),
                                   json={"old_password": "long-enough-pw", "new_password": "my-own-secret-42"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["user"]["must_change_credentials"] is False
    assert (await org.client.get("/api/v1/customers", headers=bearer(changed.json()))).status_code == 200
    again = await sign_in(org, "new.rep", "my-own-secret-42")
    assert (await org.client.get("/api/v1/feed", headers=bearer(again))).status_code == 200


async def test_after_an_admin_reset_the_user_changes_it_again(org) -> None:
    reset = await org.post("admin", f"/api/v1/users/{org.rep_west.id}/reset-password",
                           {"password": "temporary-pass-77"})
    assert reset.status_code == 200 and reset.json()["must_change_credentials"] is True
    tokens = await sign_in(org, "rep_west", "temporary-pass-77")
    refused = await org.client.get("/api/v1/tasks", headers=bearer(tokens))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "password_change_required")
    assert (await org.client.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code in (200, 204)


async def test_accounts_made_on_the_command_line_and_existing_ones_are_not_asked(org) -> None:
    assert (await org.get("rep_sh", "/api/v1/customers")).status_code == 200
    assert (await org.get("admin", "/api/v1/me")).json()["must_change_credentials"] is False


class TestSwitchedOff:
    @pytest.fixture
    def test_env(self, test_env: dict[str, str]) -> dict[str, str]:
        return {**test_env, "FIELDLINE_PASSWORD_CHANGE_AT_FIRST_SIGN_IN": "false"}

    async def test_the_setting_turns_it_off(self, org) -> None:
        created = await org.post("admin", "/api/v1/users", NEW_USER)
        assert created.json()["must_change_credentials"] is False
        tokens = await sign_in(org, "new.rep", "long-enough-pw")
        assert (await org.client.get("/api/v1/customers", headers=bearer(tokens))).status_code == 200
