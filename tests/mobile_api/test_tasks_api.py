"""Tasks over HTTP: create, read, list with delta sync, change, delete, visibility."""

from __future__ import annotations

import base64
import datetime as dt

import orjson

from server.clock import utcnow
from server.models.customers import Customer, Opportunity
from server.models.notifications import Notification
from server.models.reminders import Reminder


def at(hours: float) -> str:
    return (utcnow() + dt.timedelta(hours=hours)).isoformat()


async def new_task(org, who: str, **fields):
    body = {"title": "Visit Ruili Garment", "due_at": at(24), **fields}
    response = await org.post(who, "/api/v1/tasks", body)
    assert response.status_code == 201, response.text
    return response.json()


def task_events(events: list[dict], task_id: int) -> list[dict]:
    return [e["data"] for e in events if e["type"] == "task.updated" and e["data"]["id"] == task_id]


async def test_own_task_starts_open_with_the_contract_fields(org, event_log):
    task = await new_task(org, "rep_east1", notes="Bring samples", remind_at=at(23))
    assert task["status"] == "open"
    assert task["assignee_id"] == task["created_by"] == org.rep_east1.id
    assert task["kind"] == "task" and task["version"] == 1
    assert task["subject"] == {"type": None, "id": None}
    for name in ("id", "title", "notes", "start_at", "due_at", "remind_at", "assignee_id", "created_by", "status", "subject"):
        assert name in task
    assert task_events(await event_log(org.rep_east1.id), task["id"]) == [task]
    assert await Notification.filter(kind="task").count() == 0
    reminder = await Reminder.get(link_type="task", link_id=task["id"])
    assert (reminder.user_id, reminder.status, reminder.title) == (org.rep_east1.id, "scheduled", "Visit Ruili Garment")


async def test_assigning_to_a_colleague_makes_it_pending_and_tells_them(org, event_log):
    task = await new_task(org, "manager_east", assignee_id=org.rep_sh.id)
    assert task["status"] == "pending"
    notes = [e["data"] for e in await event_log(org.rep_sh.id) if e["type"] == "notification.new"]
    assert [(n["kind"], n["link"]) for n in notes] == [("task", {"type": "task", "id": task["id"]})]
    assert task_events(await event_log(org.manager_east.id), task["id"]) == [task]
    assert task_events(await event_log(org.rep_sh.id), task["id"]) == [task]


async def test_bad_input_is_422_with_the_field_named(org):
    cases = [
        ({"title": "", "due_at": at(1)}, "title"),
        ({"title": "No due"}, "due_at"),
        ({"title": "Naive", "due_at": "2026-11-25T09:00:00"}, "due_at"),
        ({"title": "Backwards", "kind": "event", "start_at": at(2), "due_at": at(1)}, "start_at"),
        ({"title": "Event without start", "kind": "event", "due_at": at(1)}, "start_at"),
        ({"title": "Ghost", "due_at": at(1), "assignee_id": 999999}, "assignee_id"),
        ({"title": "Odd", "due_at": at(1), "kind": "meeting"}, "kind"),
        ({"title": "Odd subject", "due_at": at(1), "subject": {"type": "user", "id": 1}}, "subject.type"),
    ]
    for body, field in cases:
        response = await org.post("rep_east1", "/api/v1/tasks", body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["error"]["details"]["fields"], (body, response.json())


async def test_subject_must_be_a_customer_or_opportunity_the_creator_sees(org):
    mine = await Customer.create(name="上海瑞丽服装", owner_id=org.rep_east1.id)
    theirs = await Customer.create(name="Westwind Foods", owner_id=org.rep_west.id)
    deal = await Opportunity.create(customer_id=mine.id, name="Winter uniforms", owner_id=org.rep_east1.id)
    hidden_deal = await Opportunity.create(customer_id=theirs.id, name="Hidden", owner_id=org.rep_west.id)
    ok = await new_task(org, "rep_east1", subject={"type": "customer", "id": mine.id})
    assert ok["subject"] == {"type": "customer", "id": mine.id}
    ok = await new_task(org, "rep_east1", subject={"type": "opportunity", "id": deal.id})
    assert ok["subject"] == {"type": "opportunity", "id": deal.id}
    for subject in ({"type": "customer", "id": theirs.id}, {"type": "customer", "id": 424242},
                    {"type": "opportunity", "id": hidden_deal.id}):
        response = await org.post("rep_east1", "/api/v1/tasks", {"title": "x", "due_at": at(1), "subject": subject})
        assert response.status_code == 422, response.text
        assert "subject" in response.json()["error"]["details"]["fields"]
    managed = await org.post("manager_east", "/api/v1/tasks", {"title": "x", "due_at": at(1), "subject": {"type": "customer", "id": mine.id}})
    assert managed.status_code == 201


async def test_visibility_own_assigned_and_a_managers_team(org):
    rep_task = await new_task(org, "rep_east1")
    given = await new_task(org, "rep_west", assignee_id=org.rep_sh.id)
    for who, task, status in [
        ("rep_east1", rep_task, 200), ("manager_east", rep_task, 200), ("admin", rep_task, 200),
        ("rep_east2", rep_task, 404), ("manager_west", rep_task, 404), ("rep_west", rep_task, 404),
        ("rep_sh", given, 200), ("rep_west", given, 200), ("manager_east", given, 200),
        ("manager_west", given, 200), ("rep_east1", given, 404),
    ]:
        response = await org.get(who, f"/api/v1/tasks/{task['id']}")
        assert response.status_code == status, (who, task["title"], response.text)
    listed = await org.get("manager_west", "/api/v1/tasks")
    assert [t["id"] for t in listed.json()["items"]] == [given["id"]]


async def test_list_filters_and_pages(org):
    ids = [(await new_task(org, "rep_east2", title=f"T{i}", due_at=at(i + 1)))["id"] for i in range(5)]
    done = await org.post("rep_east2", f"/api/v1/tasks/{ids[0]}/complete")
    assert done.status_code == 200
    first = (await org.get("rep_east2", "/api/v1/tasks?limit=2")).json()
    second = (await org.get("rep_east2", f"/api/v1/tasks?limit=2&cursor={first['next_cursor']}")).json()
    third = (await org.get("rep_east2", f"/api/v1/tasks?limit=2&cursor={second['next_cursor']}")).json()
    assert [t["id"] for t in first["items"] + second["items"] + third["items"]] == ids[::-1]
    assert third["next_cursor"] is None
    open_ones = (await org.get("rep_east2", "/api/v1/tasks", params={"status": "open"})).json()["items"]
    assert sorted(t["id"] for t in open_ones) == ids[1:]
    soon = (await org.get("rep_east2", "/api/v1/tasks", params={"due_before": at(2.5)})).json()["items"]
    assert sorted(t["id"] for t in soon) == ids[:2]
    by_assignee = (await org.get("manager_east", "/api/v1/tasks", params={"assignee_id": org.rep_east2.id})).json()
    assert len(by_assignee["items"]) == 5
    assert (await org.get("rep_east2", "/api/v1/tasks?status=later")).status_code == 422
    assert (await org.get("rep_east2", "/api/v1/tasks?cursor=garbage")).status_code == 422


async def test_delta_sync_returns_changes_and_tombstones(org):
    since = utcnow().isoformat()
    kept = await new_task(org, "rep_sh", title="Keep")
    gone = await new_task(org, "rep_sh", title="Gone")
    assert (await org.delete("rep_sh", f"/api/v1/tasks/{gone['id']}")).status_code == 204
    assert (await org.get("rep_sh", f"/api/v1/tasks/{gone['id']}")).status_code == 404
    changed = (await org.get("rep_sh", "/api/v1/tasks", params={"updated_since": since})).json()["items"]
    assert changed == [kept, {"id": gone["id"], "deleted": True}]
    plain = (await org.get("rep_sh", "/api/v1/tasks")).json()["items"]
    assert [t["id"] for t in plain] == [kept["id"]]


async def test_patch_changes_fields_and_checks_the_version(org):
    task = await new_task(org, "rep_east1", remind_at=at(20))
    changed = await org.patch("rep_east1", f"/api/v1/tasks/{task['id']}", {"title": "Visit Ruili again", "remind_at": at(21)},
                              headers={"If-Match": "1"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2 and changed.json()["title"] == "Visit Ruili again"
    stale = await org.patch("rep_east1", f"/api/v1/tasks/{task['id']}", {"notes": "late edit"}, headers={"If-Match": "1"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    reminders = await Reminder.filter(link_type="task", link_id=task["id"]).order_by("id")
    assert [(r.status, r.title) for r in reminders] == [("cancelled", "Visit Ruili Garment"), ("scheduled", "Visit Ruili again")]
    cleared = await org.patch("rep_east1", f"/api/v1/tasks/{task['id']}", {"remind_at": None})
    assert cleared.json()["remind_at"] is None
    assert await Reminder.filter(link_type="task", link_id=task["id"], status="scheduled").count() == 0
    for body in ({"title": None}, {"due_at": None}, {"title": ""}):
        assert (await org.patch("rep_east1", f"/api/v1/tasks/{task['id']}", body)).status_code == 422


async def test_only_the_right_people_change_reassign_or_delete(org):
    task = await new_task(org, "manager_east", assignee_id=org.rep_east1.id)
    path = f"/api/v1/tasks/{task['id']}"
    assert (await org.patch("rep_east2", path, {"notes": "x"})).status_code == 404
    assert (await org.patch("rep_east1", path, {"notes": "on it"})).status_code == 200
    moved = await org.patch("rep_east1", path, {"assignee_id": org.rep_east2.id})
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "forbidden"
    assert (await org.delete("rep_east1", path)).status_code == 403
    reassigned = await org.patch("manager_east", path, {"assignee_id": org.rep_east2.id})
    assert reassigned.status_code == 200 and reassigned.json()["status"] == "pending"
    assert await Notification.filter(user_id=org.rep_east2.id, kind="task").count() == 1
    assert (await org.delete("manager_east", path, headers={"If-Match": "99"})).status_code == 409
    assert (await org.delete("manager_east", path)).status_code == 204
    assert (await org.delete("manager_east", path)).status_code == 404


async def test_reassigning_tells_the_new_and_the_old_assignee(org, event_log):
    task = await new_task(org, "manager_east", assignee_id=org.rep_east1.id, remind_at=at(5))
    await org.patch("manager_east", f"/api/v1/tasks/{task['id']}", {"assignee_id": org.rep_sh.id})
    old = task_events(await event_log(org.rep_east1.id), task["id"])
    assert old[-1]["assignee_id"] == org.rep_sh.id
    reminder = await Reminder.get(link_type="task", link_id=task["id"], status="scheduled")
    assert reminder.user_id == org.rep_sh.id


async def test_unknown_task_and_idempotent_create(org):
    assert (await org.get("rep_east1", "/api/v1/tasks/999999")).status_code == 404
    assert (await org.post("rep_east1", "/api/v1/tasks/999999/complete")).status_code == 404
    body = {"title": "Once", "due_at": at(3)}
    first = await org.post("rep_east1", "/api/v1/tasks", body, headers={"Idempotency-Key": "task-1"})
    again = await org.post("rep_east1", "/api/v1/tasks", body, headers={"Idempotency-Key": "task-1"})
    assert first.json()["id"] == again.json()["id"]
    listed = (await org.get("rep_east1", "/api/v1/tasks")).json()["items"]
    assert [t["title"] for t in listed] == ["Once"]


async def test_a_delta_sync_cursor_this_server_never_gave_out_is_a_422(org):
    """A cursor holding a JSON object (or a time without offset) once reached the
    database layer and answered 500."""
    for key in ({"a": 1}, ["2026-11-25T09:30:00", 1]):
        cursor = base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")
        answer = await org.get("rep_sh", "/api/v1/tasks", params={"updated_since": "2026-01-01T00:00:00+00:00",
                                                                   "cursor": cursor})
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"]["fields"] == {"cursor": "is not a cursor this server gave out"}
