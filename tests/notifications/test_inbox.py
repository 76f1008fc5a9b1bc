"""The inbox: listing, filtering, marking read, unread counts; announcements."""

from __future__ import annotations

from typing import Any


async def _note(org: Any, author: str, body: str) -> None:
    assert (await org.post(author, "/api/v1/posts", {"body": body})).status_code == 201


async def test_list_filter_and_page_newest_first(org: Any) -> None:
    for n in range(3):
        await _note(org, "rep_east1", f"@rep_west note {n}")
    item = (await org.post("rep_west", "/api/v1/posts", {"body": "mine"})).json()
    await org.post("rep_east1", f"/api/v1/posts/{item['id']}/comments", {"body": "nice"})
    page = (await org.get("rep_west", "/api/v1/notifications?limit=2")).json()
    assert [n["kind"] for n in page["items"]] == ["comment", "mention"]
    rest = (await org.get("rep_west", f"/api/v1/notifications?limit=2&cursor={page['next_cursor']}")).json()
    assert [n["body"] for n in rest["items"]] == ["@rep_west note 1", "@rep_west note 0"]
    assert rest["next_cursor"] is None
    mentions = (await org.get("rep_west", "/api/v1/notifications?kind=mention")).json()["items"]
    assert len(mentions) == 3 and all(n["read"] is False for n in mentions)
    assert (await org.get("rep_west", "/api/v1/notifications?kind=gossip")).status_code == 422


async def test_mark_read_by_ids_and_all_counts_follow(org: Any) -> None:
    for n in range(3):
        await _note(org, "rep_east1", f"@rep_west n{n}")
    counts = (await org.get("rep_west", "/api/v1/notifications/unread-counts")).json()
    assert counts == {"mention": 3, "comment": 0, "reminder": 0, "task": 0, "announcement": 0, "system": 0, "approval": 0, "chat": 0}
    ids = [n["id"] for n in (await org.get("rep_west", "/api/v1/notifications")).json()["items"]]
    others = [n["id"] for n in (await org.get("rep_east1", "/api/v1/notifications")).json()["items"]]
    read = await org.post("rep_west", "/api/v1/notifications/read", {"ids": ids[:1] + others})
    assert read.json() == {"updated": 1}  # someone else's ids are ignored
    unread = (await org.get("rep_west", "/api/v1/notifications?unread=true")).json()["items"]
    assert [n["id"] for n in unread] == ids[1:]
    assert (await org.get("rep_west", "/api/v1/notifications/unread-counts")).json()["mention"] == 2
    assert (await org.post("rep_west", "/api/v1/notifications/read", {"all": True})).json() == {"updated": 2}
    assert (await org.get("rep_west", "/api/v1/notifications/unread-counts")).json()["mention"] == 0
    assert (await org.post("rep_west", "/api/v1/notifications/read", {})).status_code == 422
    assert (await org.post("rep_west", "/api/v1/notifications/read", {"ids": ["x"]})).status_code == 422


async def test_notification_new_goes_only_to_its_owner(org: Any, event_log: Any) -> None:
    await _note(org, "rep_east1", "@rep_west hi")
    west = [e for e in await event_log(org.rep_west.id) if e["type"] == "notification.new"]
    assert [e["data"]["kind"] for e in west] == ["mention"]
    for who in ("rep_east1", "rep_east2", "manager_east", "manager_west", "admin"):
        assert not [e for e in await event_log(org.users[who].id) if e["type"] == "notification.new"], who


async def test_manager_announces_to_the_departments_they_manage(org: Any, event_log: Any) -> None:
    answer = await org.post("manager_east", "/api/v1/announcements", {"title": "季度总结", "body": "周五前提交"})
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["department_ids"] == [org.departments["east"].id]
    assert made["recipient_count"] == 3 and made["item"]["kind"] == "announcement"
    for who in ("rep_east1", "rep_east2", "rep_sh"):
        notes = (await org.get(who, "/api/v1/notifications?kind=announcement")).json()["items"]
        assert [(n["title"], n["link"]) for n in notes] == [("季度总结", {"type": "post", "id": made["id"]})]
        assert (await org.get(who, f"/api/v1/posts/{made['id']}")).status_code == 200
        assert any(e["type"] == "feed.new" for e in await event_log(org.users[who].id))
    for who in ("rep_west", "manager_west"):
        assert (await org.get(who, "/api/v1/notifications?kind=announcement")).json()["items"] == []
        assert (await org.get(who, f"/api/v1/posts/{made['id']}")).status_code == 404


async def test_announcement_permissions(org: Any) -> None:
    body = {"title": "t", "body": "b"}
    assert (await org.post("rep_east1", "/api/v1/announcements", body)).status_code == 403
    west = org.departments["west"].id
    refused = await org.post("manager_east", "/api/v1/announcements", {**body, "department_id": west})
    assert refused.status_code == 403
    sub = await org.post("manager_east", "/api/v1/announcements", {**body, "department_id": org.departments["east_sh"].id})
    assert sub.status_code == 201 and sub.json()["recipient_count"] == 1
    missing = await org.post("admin", "/api/v1/announcements", {**body, "department_id": 999999})
    assert missing.status_code == 422
    everyone = await org.post("admin", "/api/v1/announcements", body)
    assert everyone.status_code == 201 and everyone.json()["recipient_count"] == 6
    assert (await org.get("rep_west", f"/api/v1/posts/{everyone.json()['id']}")).status_code == 200


async def test_preferences_round_trip_and_validation(org: Any) -> None:
    start = (await org.get("rep_west", "/api/v1/me/preferences")).json()
    every_push_kind = {"mention": True, "reminder": True, "task": True, "approval": True, "announcement": True,
                       "chat": True}
    assert start == {"email": {"mention": True, "reminder": True, "task": True}, "push": every_push_kind,
                     "quiet_hours": None, "reminders_in_quiet_hours": True, "timezone": "Asia/Shanghai"}
    changed = await org.put("rep_west", "/api/v1/me/preferences",
                            {"email": {"reminder": False}, "quiet_hours": {"start": "22:00", "end": "07:30"}})
    assert changed.json()["email"] == {"mention": True, "reminder": False, "task": True}
    again = (await org.get("rep_west", "/api/v1/me/preferences")).json()
    assert again["quiet_hours"] == {"start": "22:00", "end": "07:30"}
    assert (await org.get("rep_east1", "/api/v1/me/preferences")).json()["email"]["reminder"] is True
    bad = await org.put("rep_west", "/api/v1/me/preferences", {"quiet_hours": {"start": "25:00", "end": "07:00"}})
    assert bad.status_code == 422
    assert (await org.put("rep_west", "/api/v1/me/preferences", {"email": {"mention": "no"}})).status_code == 422
