"""Conversations over REST: direct, group, department; members; who sees what."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/conversations"


async def _group(org: Any, owner: str, members: list[str], title: str = "Team") -> dict:
    response = await org.post(owner, BASE, {"kind": "group", "title": title,
                                            "member_ids": [org.users[m].id for m in members]})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_direct_conversation_is_created_once_per_pair(org, event_log):
    first = await org.post("rep_east1", BASE, {"kind": "direct", "member_ids": [org.rep_west.id]})
    assert first.status_code == 201, first.text
    again = await org.post("rep_west", BASE, {"kind": "direct", "member_ids": [org.rep_east1.id]})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["kind"] == "direct" and body["owner_id"] is None
    assert body["member_ids"] == sorted([org.rep_east1.id, org.rep_west.id])
    assert set(body) >= {"id", "kind", "title", "member_ids", "owner_id", "last_message", "unread_count", "updated_at"}
    [event] = await event_log(org.rep_west.id)
    assert event["type"] == "conversation.updated" and event["data"]["id"] == body["id"]


async def test_direct_with_oneself_or_nobody_or_an_unknown_user_is_422(org):
    for members in ([org.rep_east1.id], [], [999999], [org.rep_east2.id, org.rep_west.id]):
        response = await org.post("rep_east1", BASE, {"kind": "direct", "member_ids": members})
        assert response.status_code == 422, (members, response.text)
        assert response.json()["error"]["code"] == "validation_error"


async def test_a_group_has_its_creator_as_owner_and_member(org):
    body = await _group(org, "rep_east1", ["rep_east2", "rep_west"], "华东项目组")
    assert body["owner_id"] == org.rep_east1.id
    assert body["title"] == "华东项目组"
    assert body["member_ids"] == sorted([org.rep_east1.id, org.rep_east2.id, org.rep_west.id])


async def test_non_members_get_404_everywhere(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    path = f"{BASE}/{conversation['id']}"
    checks = [
        await org.get("rep_west", path),
        await org.get("rep_west", path + "/messages"),
        await org.post("rep_west", path + "/messages", {"client_id": "x", "body": "hi"}),
        await org.post("rep_west", path + "/read", {"up_to_message_id": 1}),
        await org.post("rep_west", path + "/leave"),
        await org.post("rep_west", path + "/members", {"user_ids": [org.rep_west.id]}),
        await org.delete("rep_west", path),
        await org.get("admin", path),  # administrators read no one's chats
    ]
    assert [r.status_code for r in checks] == [404] * len(checks)
    listed = await org.get("rep_west", BASE)
    assert conversation["id"] not in [c["id"] for c in listed.json()["items"]]


async def test_only_the_owner_adds_and_removes_members(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    path = f"{BASE}/{conversation['id']}/members"
    refused = await org.post("rep_east2", path, {"user_ids": [org.rep_west.id]})
    assert refused.status_code == 403
    added = await org.post("rep_east1", path, {"user_ids": [org.rep_west.id]})
    assert added.status_code == 200 and org.rep_west.id in added.json()["member_ids"]
    assert (await event_log(org.rep_west.id))[-1]["data"]["id"] == conversation["id"]
    removed = await org.request("rep_east1", "DELETE", path, json={"user_ids": [org.rep_east2.id]})
    assert removed.status_code == 200 and org.rep_east2.id not in removed.json()["member_ids"]
    assert (await event_log(org.rep_east2.id))[-1]["data"] == {"id": conversation["id"], "deleted": True}
    assert (await org.get("rep_east2", f"{BASE}/{conversation['id']}")).status_code == 404


async def test_leaving_passes_ownership_and_the_last_one_out_deletes(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    path = f"{BASE}/{conversation['id']}"
    assert (await org.post("rep_east1", path + "/leave")).status_code == 204
    seen = await org.get("rep_east2", path)
    assert seen.json()["owner_id"] == org.rep_east2.id
    assert seen.json()["member_ids"] == [org.rep_east2.id]
    assert (await org.post("rep_east2", path + "/leave")).status_code == 204
    assert (await org.get("rep_east2", path)).status_code == 404


async def test_only_the_owner_deletes_and_members_get_a_tombstone(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    path = f"{BASE}/{conversation['id']}"
    assert (await org.delete("rep_east2", path)).status_code == 403
    assert (await org.delete("rep_east1", path)).status_code == 204
    assert (await event_log(org.rep_east2.id))[-1]["data"] == {"id": conversation["id"], "deleted": True}
    assert (await org.get("rep_east2", path)).status_code == 404


async def test_direct_and_department_conversations_cannot_be_left_or_edited(org):
    direct = (await org.post("rep_east1", BASE, {"kind": "direct", "member_ids": [org.rep_east2.id]})).json()
    path = f"{BASE}/{direct['id']}"
    assert (await org.post("rep_east1", path + "/leave")).status_code == 409
    assert (await org.post("rep_east1", path + "/members", {"user_ids": [org.rep_west.id]})).status_code == 409


async def test_the_department_group_follows_department_membership(org, event_log):
    east = org.departments["east"].id
    opened = await org.post("rep_east1", BASE, {"kind": "department", "department_id": east})
    assert opened.status_code == 201, opened.text
    conversation = opened.json()
    assert set(conversation["member_ids"]) == {org.manager_east.id, org.rep_east1.id, org.rep_east2.id}
    again = await org.post("rep_east2", BASE, {"kind": "department", "department_id": east})
    assert again.status_code == 200 and again.json()["id"] == conversation["id"]
    assert (await org.post("rep_west", BASE, {"kind": "department", "department_id": east})).status_code == 403
    newcomer = await org.add_user("rep_new", "rep", "east")
    path = f"{BASE}/{conversation['id']}"
    assert newcomer.id in (await org.get("rep_east1", path)).json()["member_ids"]
    moved = await org.patch("admin", f"/api/v1/users/{org.rep_east2.id}", {"department_id": org.departments["west"].id})
    assert moved.status_code == 200, moved.text
    assert org.rep_east2.id not in (await org.get("rep_east1", path)).json()["member_ids"]
    assert (await event_log(org.rep_east2.id))[-1]["data"] == {"id": conversation["id"], "deleted": True}
    back = await org.patch("admin", f"/api/v1/users/{org.rep_east2.id}", {"department_id": east})
    assert back.status_code == 200
    assert org.rep_east2.id in (await org.get("rep_east1", path)).json()["member_ids"]


async def test_bad_bodies_are_422(org):
    for body in ({"kind": "group", "member_ids": []}, {"kind": "department"}, {"kind": "channel"},
                 {"kind": "group", "title": "x", "member_ids": ["1"]},
                 {"kind": "department", "department_id": 999999}):
        response = await org.post("rep_east1", BASE, body)
        assert response.status_code == 422, (body, response.text)


async def test_the_list_runs_latest_activity_first_and_pages(org):
    ids = [(await _group(org, "rep_east1", ["rep_east2"], f"g{i}"))["id"] for i in range(3)]
    await org.post("rep_east2", f"{BASE}/{ids[0]}/messages", {"client_id": "bump", "body": "bump"})
    first = await org.get("rep_east1", BASE + "?limit=2")
    assert [c["id"] for c in first.json()["items"]] == [ids[0], ids[2]]
    assert first.json()["items"][0]["unread_count"] == 1
    assert first.json()["items"][0]["last_message"]["body"] == "bump"
    rest = await org.get("rep_east1", BASE + f"?limit=2&cursor={first.json()['next_cursor']}")
    assert [c["id"] for c in rest.json()["items"]] == [ids[1]]
    assert rest.json()["next_cursor"] is None


async def test_updated_since_includes_tombstones_of_conversations_one_left(org):
    kept = await _group(org, "rep_east1", ["rep_east2"], "kept")
    left = await _group(org, "rep_east1", ["rep_east2"], "left")
    await org.post("rep_east2", f"{BASE}/{left['id']}/leave")
    response = await org.get("rep_east2", BASE + "?updated_since=2000-01-01T00:00:00%2B00:00")
    items = {c["id"]: c for c in response.json()["items"]}
    assert items[left["id"]] == {"id": left["id"], "deleted": True}
    assert items[kept["id"]]["title"] == "kept"
