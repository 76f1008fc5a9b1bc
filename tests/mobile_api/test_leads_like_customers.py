"""Leads have what customers have: a history of what happened to them, feed items
when one is created, reassigned or converted, `lead.updated` events on the
durable event path, delta sync after every change, followers, and the same
people seeing each of these."""

from __future__ import annotations

import datetime as dt

from server.clock import utcnow
from server.models.feed import FeedItem
from server.models.leads import LeadHistory

HERE = {"lat": 32.39, "lng": 119.41, "accuracy_m": 12}


async def new_lead(org, who: str = "rep_sh", **fields) -> dict:
    response = await org.post(who, "/api/v1/leads", {"company": "扬州五环印花厂", "contact_name": "李明",
                                                      "phone": "0514-2398577", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def history(org, who: str, lead_id: int) -> list[tuple]:
    response = await org.get(who, f"/api/v1/leads/{lead_id}/history")
    assert response.status_code == 200, response.text
    return [(h["action"], h["actor_id"], h["from_owner_id"], h["to_owner_id"]) for h in response.json()["items"]]


async def lead_feed(org, who: str, lead_id: int) -> list[str]:
    response = await org.get(who, "/api/v1/feed", params={"subject_type": "lead", "subject_id": lead_id})
    assert response.status_code == 200, response.text
    return [item["body"] for item in response.json()["items"]]


async def lead_events(event_log, user_id: int) -> list[dict]:
    return [e["data"] for e in await event_log(user_id) if e["type"] == "lead.updated"]


async def test_every_change_is_in_the_history_newest_first(org) -> None:
    lead = await new_lead(org, "rep_east1")
    path = f"/api/v1/leads/{lead['id']}"
    assert (await org.patch("rep_east1", path, {"note": "老板姓李"})).status_code == 200
    assert (await org.patch("rep_east1", path, {"status": "following"})).status_code == 200
    moved = await org.patch("manager_east", path, {"owner_id": org.rep_east2.id})
    assert moved.status_code == 200 and moved.json()["owner_id"] == org.rep_east2.id, moved.text
    converted = await org.post("rep_east2", f"{path}/convert", {"customer": {"province": "江苏", "city": "扬州"}})
    assert converted.status_code == 200, converted.text
    assert await history(org, "rep_east2", lead["id"]) == [
        ("converted", org.rep_east2.id, None, None),
        ("assigned", org.manager_east.id, org.rep_east1.id, org.rep_east2.id),
        ("status", org.rep_east1.id, None, None),
        ("updated", org.rep_east1.id, None, None),
        ("created", org.rep_east1.id, None, org.rep_east1.id),
    ]
    entries = (await org.get("rep_east2", f"{path}/history")).json()["items"]
    assert entries[0]["details"]["customer_id"] == converted.json()["customer"]["id"]
    assert entries[2]["details"] == {"from": "new", "to": "following"}
    assert entries[3]["details"] == {"fields": ["note"]}


async def test_the_history_is_seen_by_those_who_see_the_lead(org) -> None:
    lead = await new_lead(org, "rep_sh")
    for who, status in [("rep_sh", 200), ("manager_east", 200), ("admin", 200), ("rep_east1", 404),
                        ("manager_west", 404)]:
        response = await org.get(who, f"/api/v1/leads/{lead['id']}/history")
        assert response.status_code == status, (who, response.text)
    assert (await org.get("rep_sh", "/api/v1/leads/999999/history")).status_code == 404


async def test_a_rep_cannot_give_a_lead_away_and_a_manager_only_within_the_team(org) -> None:
    lead = await new_lead(org, "rep_sh")
    path = f"/api/v1/leads/{lead['id']}"
    assert (await org.patch("rep_sh", path, {"owner_id": org.rep_east1.id})).status_code == 403
    assert (await org.patch("manager_east", path, {"owner_id": org.rep_west.id})).status_code == 403
    assert (await org.patch("rep_sh", path, {"owner_id": None})).status_code == 422
    assert (await org.patch("manager_east", path, {"owner_id": 999999})).status_code == 422
    assert await history(org, "rep_sh", lead["id"]) == [("created", org.rep_sh.id, None, org.rep_sh.id)]


async def test_created_reassigned_and_converted_leads_show_in_the_feed_of_those_who_see_them(org) -> None:
    lead = await new_lead(org, "rep_sh")
    path = f"/api/v1/leads/{lead['id']}"
    assert (await org.patch("manager_east", path, {"owner_id": org.rep_east1.id})).status_code == 200
    assert (await org.post("rep_east1", f"{path}/convert", {})).status_code == 200
    bodies = await lead_feed(org, "manager_east", lead["id"])
    assert len(bodies) == 3 and all("扬州五环印花厂" in body for body in bodies), bodies
    assert "张伟" in bodies[1]  # newest first: converted, assigned to rep_east1, created
    assert (await lead_feed(org, "rep_east1", lead["id"]))[0] == bodies[0]
    gone = await org.get("rep_sh", "/api/v1/feed", params={"subject_type": "lead", "subject_id": lead["id"]})
    assert gone.status_code == 404  # no longer theirs
    following = (await org.get("manager_east", "/api/v1/feed")).json()["items"]
    assert [i["kind"] for i in following if i["subject"] == {"type": "lead", "id": lead["id"]}] == ["lead"] * 3
    # Someone who may not see the lead sees none of it, even in the public or team feed.
    for scope in ("following", "public", "team"):
        items = (await org.get("manager_west", "/api/v1/feed", params={"scope": scope})).json()["items"]
        assert [i for i in items if i["subject"]["type"] == "lead"] == [], scope
    assert (await org.get("manager_west", "/api/v1/feed",
                          params={"subject_type": "lead", "subject_id": lead["id"]})).status_code == 404


async def test_a_follower_of_a_lead_gets_its_items_live(org, event_log) -> None:
    lead = await new_lead(org, "rep_sh")
    assert (await org.post("rep_east1", "/api/v1/follows",
                           {"target_type": "lead", "target_id": lead["id"]})).status_code == 404
    follow = await org.post("admin", "/api/v1/follows", {"target_type": "lead", "target_id": lead["id"]})
    assert follow.status_code in (200, 201), follow.text
    assert (await org.post("rep_sh", f"/api/v1/leads/{lead['id']}/convert", {})).status_code == 200
    live = [e["data"] for e in await event_log(org.admin.id) if e["type"] == "feed.new"]
    assert [i["subject"] for i in live] == [{"type": "lead", "id": lead["id"]}]
    followed = (await org.get("admin", "/api/v1/feed")).json()["items"]
    assert [i["kind"] for i in followed if i["subject"]["type"] == "lead"] == ["lead", "lead"]  # converted, created


async def test_owners_and_their_managers_get_lead_updated_on_every_change(org, event_log) -> None:
    lead = await new_lead(org, "rep_sh")
    path = f"/api/v1/leads/{lead['id']}"
    changed = (await org.patch("rep_sh", path, {"status": "following"})).json()
    assert (await org.patch("manager_east", path, {"owner_id": org.rep_east1.id})).status_code == 200
    assert (await org.delete("rep_east1", path)).status_code == 204
    for user in (org.manager_east, org.rep_sh):
        seen = await lead_events(event_log, user.id)
        assert [e.get("version") for e in seen[:3]] == [1, 2, 3], user.login
    assert (await lead_events(event_log, org.manager_east.id))[1] == changed
    assert (await lead_events(event_log, org.rep_east1.id)) [-1] == {"id": lead["id"], "deleted": True}
    assert len(await lead_events(event_log, org.rep_sh.id)) == 3  # not told once it is no longer theirs
    assert await lead_events(event_log, org.rep_west.id) == []
    assert await lead_events(event_log, org.manager_west.id) == []


async def test_sign_ups_and_cold_visits_are_in_the_history_feed_and_events(org, event_log) -> None:
    source = await org.post("admin", "/api/v1/lead-sources", {"name": "官网注册", "owner_id": org.rep_sh.id})
    signed_up = await org.client.post("/api/v1/leads/intake", json={"company": "泰安藝動力彩色印刷廠"},
                                      headers={"X-Lead-Key": source.json()["key"]})
    assert signed_up.status_code == 201, signed_up.text
    lead_id = signed_up.json()["id"]
    assert await history(org, "rep_sh", lead_id) == [("created", org.rep_sh.id, None, org.rep_sh.id)]
    since = (utcnow() - dt.timedelta(seconds=1)).isoformat()
    visit = await org.post("rep_sh", "/api/v1/checkins", {**HERE, "captured_at": utcnow().isoformat(),
                                                          "lead_id": lead_id})
    assert visit.status_code == 201, visit.text
    assert (await history(org, "rep_sh", lead_id))[0][0] == "status"
    synced = (await org.get("rep_sh", "/api/v1/leads", params={"updated_since": since})).json()["items"]
    assert [(l["id"], l["status"], l["version"]) for l in synced] == [(lead_id, "following", 2)]
    assert [e["status"] for e in await lead_events(event_log, org.manager_east.id)] == ["new", "following"]
    cold = await org.post("rep_sh", "/api/v1/checkins", {**HERE, "captured_at": utcnow().isoformat(),
                                                         "company": "申城建材"})
    cold_lead = cold.json()["lead_id"]
    assert await history(org, "rep_sh", cold_lead) == [("created", org.rep_sh.id, None, org.rep_sh.id)]
    assert await FeedItem.filter(kind="lead", subject_id__in=[lead_id, cold_lead]).count() == 2
    assert await LeadHistory.filter(lead_id=cold_lead).count() == 1
