"""A person's own profile: `language` on User, and `PATCH /api/v1/me`."""

from __future__ import annotations

import pytest

from server.settings import SettingsError, load_settings

NEW_USER = {"login": "lang.rep", "name": "林语", "password": "long-enough-pw", "role": "rep"}


def fields_of(response) -> set[str]:
    assert response.status_code == 422, response.text
    return set(response.json()["error"]["details"]["fields"])


async def test_users_read_chinese_by_default_and_admins_choose_english(org):
    me = (await org.get("rep_east1", "/api/v1/me")).json()
    assert me["language"] == "zh-CN"
    created = await org.post("admin", "/api/v1/users", {**NEW_USER, "language": "en"})
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "en"
    plain = (await org.post("admin", "/api/v1/users", {**NEW_USER, "login": "lang.rep2"})).json()
    assert plain["language"] == "zh-CN"
    changed = await org.patch("admin", f"/api/v1/users/{plain['id']}", {"language": "en"})
    assert changed.status_code == 200 and changed.json()["language"] == "en"
    listed = (await org.get("admin", f"/api/v1/users/{plain['id']}")).json()
    assert listed["language"] == "en"


async def test_unknown_or_null_language_is_422_on_the_field(org):
    assert fields_of(await org.post("admin", "/api/v1/users", {**NEW_USER, "language": "fr"})) == {"language"}
    path = f"/api/v1/users/{org.rep_west.id}"
    assert fields_of(await org.patch("admin", path, {"language": None})) == {"language"}
    assert fields_of(await org.patch("rep_west", "/api/v1/me", {"language": "zh-TW"})) == {"language"}


def test_default_language_is_a_setting():
    assert load_settings({}).default_language == "zh-CN"
    assert load_settings({"FIELDLINE_DEFAULT_LANGUAGE": "en"}).default_language == "en"
    with pytest.raises(SettingsError, match="FIELDLINE_DEFAULT_LANGUAGE"):
        load_settings({"FIELDLINE_DEFAULT_LANGUAGE": "klingon"})


async def test_a_person_changes_their_own_profile(org):
    answer = await org.patch("rep_sh", "/api/v1/me", {
        "email": "sh.rep@example.com", "mobile": "13800000001", "timezone": "Europe/Berlin", "language": "en",
    })
    assert answer.status_code == 200, answer.text
    user = answer.json()
    assert (user["email"], user["mobile"], user["timezone"], user["language"]) == (
        "sh.rep@example.com", "13800000001", "Europe/Berlin", "en")
    assert user["id"] == org.rep_sh.id and user["name"] == org.rep_sh.name
    # The next request sees the change at once (signed-in callers are remembered).
    me = (await org.get("rep_sh", "/api/v1/me")).json()
    assert (me["timezone"], me["language"]) == ("Europe/Berlin", "en")
    prefs = (await org.get("rep_sh", "/api/v1/me/preferences")).json()
    assert prefs["timezone"] == "Europe/Berlin"
    cleared = (await org.patch("rep_sh", "/api/v1/me", {"email": None})).json()
    assert cleared["email"] is None and cleared["mobile"] == "13800000001"


async def test_profile_patch_takes_notification_preferences(org):
    body = {"language": "en", "preferences": {"email": {"task": False}, "quiet_hours": {"start": "22:00", "end": "07:00"}}}
    answer = await org.patch("rep_east2", "/api/v1/me", body)
    assert answer.status_code == 200, answer.text
    prefs = (await org.get("rep_east2", "/api/v1/me/preferences")).json()
    assert prefs["email"]["task"] is False and prefs["email"]["mention"] is True
    assert prefs["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    cleared = await org.patch("rep_east2", "/api/v1/me", {"preferences": {"quiet_hours": None}})
    assert cleared.status_code == 200
    assert (await org.get("rep_east2", "/api/v1/me/preferences")).json()["quiet_hours"] is None


@pytest.mark.parametrize("body, field", [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": None}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"timezone": 8}, "timezone"),
    ({"email": "not-an-email"}, "email"),
    ({"mobile": "1" * 33}, "mobile"),
    ({"language": None}, "language"),
    ({"preferences": {"quiet_hours": {"start": "25:00", "end": "07:00"}}}, "preferences"),
])
async def test_bad_profile_fields_are_422_on_the_field(org, body, field):
    answer = await org.patch("rep_east1", "/api/v1/me", body)
    assert any(name.split(".")[0] == field for name in fields_of(answer)), answer.text
    assert (await org.get("rep_east1", "/api/v1/me")).json()["timezone"] == "Asia/Shanghai"


@pytest.mark.parametrize("field, value", [
    ("name", "王经理"), ("title", "经理"), ("role", "admin"), ("department_id", 1),
    ("managed_department_ids", []), ("active", False), ("login", "boss"),
])
async def test_who_someone_is_cannot_be_changed_through_me(org, field, value):
    answer = await org.patch("rep_east1", "/api/v1/me", {field: value})
    assert fields_of(answer) == {field}
    me = (await org.get("rep_east1", "/api/v1/me")).json()
    assert me["name"] == org.rep_east1.name and me["role"] == "rep" and me["active"] is True


async def test_profile_patch_needs_a_signed_in_caller(org):
    assert (await org.patch(None, "/api/v1/me", {"language": "en"})).status_code == 401
