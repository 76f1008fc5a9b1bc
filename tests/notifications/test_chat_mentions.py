"""Mentions in chat messages reach the inbox of the members named, once."""

from __future__ import annotations

from typing import Any


async def test_chat_mention_notifies_members_named_not_outsiders_or_the_sender(org: Any, event_log: Any) -> None:
    made = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "华东周会", "member_ids": [org.rep_east2.id]})
    assert made.status_code == 201, made.text
    path = f"/api/v1/conversations/{made.json()['id']}/messages"
    body = {"client_id": "m-1", "body": "@李娜 @rep_west @张伟 明天九点"}
    assert (await org.post("rep_east1", path, body)).status_code == 201
    assert (await org.post("rep_east1", path, body)).status_code == 200  # the same client_id: no second one
    notes = (await org.get("rep_east2", "/api/v1/notifications?kind=mention")).json()["items"]
    assert [(n["title"], n["link"]["type"]) for n in notes] == [("张伟 在「华东周会」中提到了你", "conversation")]
    assert (await org.get("rep_west", "/api/v1/notifications")).json()["items"] == []
    assert (await org.get("rep_east1", "/api/v1/notifications")).json()["items"] == []
    assert [e["data"]["kind"] for e in await event_log(org.rep_east2.id) if e["type"] == "notification.new"] == ["mention"]
