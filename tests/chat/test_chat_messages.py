"""Messages over REST: idempotent sends, edits, deletes, history, read cursors, events."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/conversations"


async def _group(org: Any, owner: str, members: list[str]) -> int:
    response = await org.post(owner, BASE, {"kind": "group", "title": "Team",
                                            "member_ids": [org.users[m].id for m in members]})
    return response.json()["id"]


async def _say(org: Any, who: str, conversation_id: int, client_id: str, body: str = "hi", **extra: Any):
    return await org.post(who, f"{BASE}/{conversation_id}/messages", {"client_id": client_id, "body": body, **extra})


async def test_a_message_goes_to_every_member_once_and_client_id_makes_it_idempotent(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    first = await _say(org, "rep_east1", conversation, "phone-1", "明天拜访客户")
    assert first.status_code == 201, first.text
    message = first.json()
    assert message["sender_id"] == org.rep_east1.id and message["client_id"] == "phone-1"
    assert message["deleted"] is False and message["edited_at"] is None
    again = await _say(org, "rep_east1", conversation, "phone-1", "明天拜访客户")
    assert again.status_code == 200 and again.json() == message
    for user in (org.rep_east1, org.rep_east2):
        news = [e for e in await event_log(user.id) if e["type"] == "message.new"]
        assert [e["data"] for e in news] == [message]
    assert [e for e in await event_log(org.rep_west.id) if e["type"] == "message.new"] == []


async def test_mentions_resolve_to_members_only(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    response = await _say(org, "rep_east1", conversation, "m", "@李娜 and @rep_west please look")
    assert response.json()["mentions"] == [org.rep_east2.id]


async def test_attachments_are_at_most_ten_file_ids(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    from tests.mobile_api.card_helpers import png_bytes

    ids = [(await org.post("rep_east1", "/api/v1/photos", files={"file": ("p.png", png_bytes(), "image/png")})).json()["id"]
           for _ in range(2)]
    ok = await _say(org, "rep_east1", conversation, "a1", "files", attachments=ids)
    assert ok.status_code == 201 and ok.json()["attachments"] == ids
    for bad in (list(range(1, 12)), ["3"], [0], [1.5], [2**31 - 1]):
        response = await _say(org, "rep_east1", conversation, f"bad-{bad!s:.10}", "files", attachments=bad)
        assert response.status_code == 422, (bad, response.text)


async def test_bad_message_bodies_are_422(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    for body in ({"client_id": "", "body": "x"}, {"client_id": "x", "body": ""},
                 {"client_id": "x" * 129, "body": "x"}, {"client_id": "x", "body": "x" * 10_001},
                 {"body": "x"}, {"client_id": 5, "body": "x"}):
        response = await org.post("rep_east1", f"{BASE}/{conversation}/messages", body)
        assert response.status_code == 422, (body, response.text)
    blank = await _say(org, "rep_east1", conversation, "blank", "   ")
    assert blank.status_code == 422


async def test_only_the_sender_edits_or_deletes_and_members_hear_of_it(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    message = (await _say(org, "rep_east1", conversation, "e1", "draft")).json()
    path = f"/api/v1/messages/{message['id']}"
    assert (await org.patch("rep_east2", path, {"body": "hacked"})).status_code == 403
    assert (await org.patch("rep_west", path, {"body": "hacked"})).status_code == 404
    edited = await org.patch("rep_east1", path, {"body": "final"})
    assert edited.status_code == 200 and edited.json()["body"] == "final" and edited.json()["edited_at"]
    assert (await org.delete("rep_east2", path)).status_code == 403
    assert (await org.delete("rep_east1", path)).status_code == 204
    types = [e["type"] for e in await event_log(org.rep_east2.id)]
    assert types[-2:] == ["message.edited", "message.deleted"]
    deleted = (await event_log(org.rep_east2.id))[-1]["data"]
    assert deleted["deleted"] is True and deleted["body"] == ""
    assert (await org.patch("rep_east1", path, {"body": "again"})).status_code == 409


async def test_history_pages_back_and_forward_in_id_order(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    ids = [(await _say(org, "rep_east1", conversation, f"h{i}", f"n{i}")).json()["id"] for i in range(7)]
    path = f"{BASE}/{conversation}/messages"
    latest = (await org.get("rep_east2", path + "?limit=3")).json()
    assert [m["id"] for m in latest["items"]] == ids[4:]
    older = (await org.get("rep_east2", path + f"?limit=3&cursor={latest['next_cursor']}")).json()
    assert [m["id"] for m in older["items"]] == ids[1:4]
    assert [m["id"] for m in (await org.get("rep_east2", path + f"?before_id={ids[2]}")).json()["items"]] == ids[:2]
    after = (await org.get("rep_east2", path + f"?after_id={ids[1]}&limit=4")).json()
    assert [m["id"] for m in after["items"]] == ids[2:6]
    rest = (await org.get("rep_east2", path + f"?cursor={after['next_cursor']}")).json()
    assert [m["id"] for m in rest["items"]] == ids[6:] and rest["next_cursor"] is None
    assert (await org.get("rep_east2", path + "?cursor=garbage")).status_code == 422
    assert (await org.get("rep_east2", path + "?before_id=abc")).status_code == 422


async def test_read_cursor_moves_forward_only_and_members_hear_of_it(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    ids = [(await _say(org, "rep_east1", conversation, f"r{i}")).json()["id"] for i in range(3)]
    listed = (await org.get("rep_east2", f"{BASE}/{conversation}")).json()
    assert listed["unread_count"] == 3
    read = await org.post("rep_east2", f"{BASE}/{conversation}/read", {"up_to_message_id": ids[1]})
    assert read.json() == {"conversation_id": conversation, "user_id": org.rep_east2.id, "up_to_message_id": ids[1]}
    assert (await org.get("rep_east2", f"{BASE}/{conversation}")).json()["unread_count"] == 1
    back = await org.post("rep_east2", f"{BASE}/{conversation}/read", {"up_to_message_id": ids[0]})
    assert back.json()["up_to_message_id"] == ids[1]
    beyond = await org.post("rep_east2", f"{BASE}/{conversation}/read", {"up_to_message_id": 2**31 - 1})
    assert beyond.json()["up_to_message_id"] == ids[2]
    for user in (org.rep_east1, org.rep_east2):
        markers = [e["data"] for e in await event_log(user.id) if e["type"] == "read.updated"]
        assert [m["up_to_message_id"] for m in markers] == [ids[1], ids[2]]


async def test_a_message_moves_the_last_message_and_only_the_senders_cursor(org):
    conversation = await _group(org, "rep_east1", ["rep_east2"])
    message = (await _say(org, "rep_east1", conversation, "last-1", "到了")).json()
    mine = (await org.get("rep_east1", f"{BASE}/{conversation}")).json()
    theirs = (await org.get("rep_east2", f"{BASE}/{conversation}")).json()
    assert mine["last_message"] == theirs["last_message"] == message
    assert mine["unread_count"] == 0 and theirs["unread_count"] == 1
    # client_id is unique per sender: another member's same client_id is a new message
    other = await _say(org, "rep_east2", conversation, "last-1", "收到")
    assert other.status_code == 201 and other.json()["id"] != message["id"]
    assert (await org.get("rep_east1", f"{BASE}/{conversation}")).json()["unread_count"] == 1


async def test_outsiders_and_people_who_left_write_nothing(org, event_log):
    conversation = await _group(org, "rep_east1", ["rep_east2", "rep_west"])
    assert (await org.post("rep_west", f"{BASE}/{conversation}/leave")).status_code == 204
    before = {u: len(await event_log(org.users[u].id)) for u in ("rep_east1", "rep_east2", "rep_west")}
    for who in ("rep_west", "manager_east"):
        assert (await _say(org, who, conversation, "sneak", "hello")).status_code == 404
        assert (await _say(org, who, 2**31 - 1, "nowhere", "hello")).status_code == 404
    history = (await org.get("rep_east1", f"{BASE}/{conversation}/messages")).json()["items"]
    assert history == []
    assert {u: len(await event_log(org.users[u].id)) for u in before} == before
    # the same client_id still works for them where they are a member
    assert (await _say(org, "rep_west", (await _group(org, "rep_west", ["rep_east1"])), "sneak")).status_code == 201
