"""Users, departments and the directory, and who may do what with them."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

NEW_USER = {"login": "new.rep", "name": "欧阳娜娜", "password": "long-enough-pw", "role": "rep"}


async def test_admin_creates_a_user_who_can_log_in(org):
    created = await org.post("admin", "/api/v1/users", {**NEW_USER, "department_id": org.departments["west"].id})
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["name"] == "欧阳娜娜" and user["role"] == "rep" and user["locked"] is False
    assert set(user) >= {"id", "login", "name", "role", "department_id", "managed_department_ids", "email",
                         "mobile", "title", "timezone", "locked", "created_at"}
    assert "password_hash" not in user
    login = await org.post(None, "/api/v1/auth/login", {"login": "new.rep", "password": "long-enough-pw"})
    assert login.status_code == 200


async def test_duplicate_login_is_409(org):
    response = await org.post("admin", "/api/v1/users", {**NEW_USER, "login": "rep_east1"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"


async def test_manager_with_managed_departments(org):
    body = {**NEW_USER, "login": "mgr.new", "role": "manager",
            "department_id": org.departments["west"].id, "managed_department_ids": [org.departments["west"].id]}
    created = (await org.post("admin", "/api/v1/users", body)).json()
    assert created["managed_department_ids"] == [org.departments["west"].id]
    bad = await org.post("admin", "/api/v1/users", {**body, "login": "mgr.bad", "managed_department_ids": [999999]})
    assert bad.status_code == 422


@pytest.mark.parametrize("who", ["manager_east", "rep_east1"])
async def test_only_admins_create_users(org, who):
    assert (await org.post(who, "/api/v1/users", NEW_USER)).status_code == 403


async def test_invalid_timezone_and_weak_password_are_422(org):
    assert (await org.post("admin", "/api/v1/users", {**NEW_USER, "timezone": "Mars/Olympus"})).status_code == 422
    assert (await org.post("admin", "/api/v1/users", {**NEW_USER, "password": "short"})).status_code == 422


async def test_admin_changes_a_colleague(org):
    ok = await org.patch("admin", f"/api/v1/users/{org.rep_east1.id}", {"title": "高级销售", "timezone": "America/Los_Angeles"})
    assert ok.status_code == 200 and ok.json()["title"] == "高级销售"


@pytest.mark.parametrize("change", [{"name": "王经理"}, {"title": "销售经理"}, {"role": "admin"},
                                    {"mobile": "13800000000"}])
async def test_nobody_but_an_admin_changes_who_someone_is_not_even_their_own(org, change):
    """A rep who renamed himself after his manager received the manager's @-mentions."""
    for who, target in (("rep_east1", "rep_east1"), ("manager_east", "rep_east1"), ("rep_east1", "rep_west")):
        answer = await org.patch(who, f"/api/v1/users/{org.users[target].id}", change)
        assert answer.status_code == 403, (who, target, answer.text)
    me = (await org.get("rep_east1", "/api/v1/me")).json()
    assert (me["name"], me["title"], me["role"]) == (org.rep_east1.name, org.rep_east1.title, "rep")


async def test_all_nulls_and_inactive_from_an_admin_is_422_not_500(org):
    """Found by fuzzing: every nullable-looking field null at once answered 500."""
    body = {"name": None, "role": None, "department_id": None, "managed_department_ids": None, "email": None,
            "mobile": None, "title": None, "timezone": None, "active": False}
    answer = await org.patch("admin", f"/api/v1/users/{org.rep_west.id}", body)
    assert answer.status_code == 422, answer.text
    assert set(answer.json()["error"]["details"]["fields"]) == {"name", "role", "timezone"}
    me = await org.get("rep_west", "/api/v1/me")
    assert me.status_code == 200 and me.json()["role"] == "rep"
    cleared = await org.patch("admin", f"/api/v1/users/{org.rep_west.id}",
                              {"department_id": None, "managed_department_ids": None, "email": None, "title": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["department_id"] is None


async def test_deactivated_user_loses_sessions(org):
    assert (await org.patch("admin", f"/api/v1/users/{org.rep_west.id}", {"active": False})).status_code == 200
    assert (await org.get("rep_west", "/api/v1/me")).status_code == 401
    login = await org.post(None, "/api/v1/auth/login", {"login": "rep_west", "password": PASSWORD})
    assert login.status_code == 401


async def test_admin_reset_password(org):
    response = await org.post("admin", f"/api/v1/users/{org.rep_sh.id}/reset-password", {"password": "brand-new-secret"})
    assert response.status_code == 200
    assert (await org.get("rep_sh", "/api/v1/me")).status_code == 401
    assert (await org.post(None, "/api/v1/auth/login", {"login": "rep_sh", "password": "brand-new-secret"})).status_code == 200
    assert (await org.post("rep_east1", f"/api/v1/users/{org.rep_sh.id}/reset-password", {"password": "brand-new-secret"})).status_code == 403


async def test_department_tree_nests_children(org):
    tree = (await org.get("rep_east1", "/api/v1/departments")).json()["items"]
    assert [d["name"] for d in tree] == ["Head Office"]
    east = next(d for d in tree[0]["children"] if d["name"] == "East")
    assert [d["name"] for d in east["children"]] == ["East Shanghai"]


async def test_department_cannot_move_inside_itself(org):
    east, east_sh = org.departments["east"], org.departments["east_sh"]
    response = await org.patch("admin", f"/api/v1/departments/{east.id}", {"parent_id": east_sh.id})
    assert response.status_code == 422
    assert (await org.post("manager_east", "/api/v1/departments", {"name": "X"})).status_code == 403


async def test_a_department_renamed_to_null_is_a_422_and_keeps_its_name(org):
    east = org.departments["east"]
    response = await org.patch("admin", f"/api/v1/departments/{east.id}", {"name": None})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"] == {"name": "must not be null"}
    moved = await org.patch("admin", f"/api/v1/departments/{east.id}", {"parent_id": None})
    assert moved.status_code == 200 and moved.json()["name"] == "East" and moved.json()["parent_id"] is None


async def test_directory_and_vcards(org):
    entries = (await org.get("rep_west", "/api/v1/directory")).json()["items"]
    zhang = next(e for e in entries if e["name"] == "张伟")
    assert zhang["department"] == "East"
    vcf = await org.get("rep_west", "/api/v1/directory.vcf")
    assert vcf.status_code == 200 and vcf.headers["content-type"].startswith("text/vcard")
    text = vcf.text
    assert text.count("BEGIN:VCARD") == len(entries)
    assert "N:张;伟;;;\r\n" in text and "FN:张伟\r\n" in text


def test_vcard_escapes_and_folds_without_splitting_characters():
    from server.render.vcard import vcard

    card = vcard("欧阳娜娜", org="瑞丽服装; 上海, 分公司", note="第一行\n" + "长" * 60)
    assert "N:欧阳;娜娜;;;" in card
    assert "ORG:瑞丽服装\\; 上海\\, 分公司" in card
    for line in card.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = card.replace("\r\n ", "")
    assert "NOTE:第一行\\n" + "长" * 60 in unfolded
