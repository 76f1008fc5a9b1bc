"""GET /tasks honours every filter it documents, each on its own."""

from __future__ import annotations

import datetime as dt

from server.clock import utcnow
from server.models.customers import Customer, Opportunity


def at(hours: float) -> str:
    return (utcnow() + dt.timedelta(hours=hours)).isoformat()


async def new_task(org, who: str, **fields) -> int:
    body = {"title": "Call back", "due_at": at(24), **fields}
    response = await org.post(who, "/api/v1/tasks", body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def listed(org, who: str, **params) -> list[int]:
    response = await org.get(who, "/api/v1/tasks", params=params)
    assert response.status_code == 200, response.text
    return sorted(t["id"] for t in response.json()["items"])


async def test_assignee_id_lists_only_that_persons_tasks(org):
    own = await new_task(org, "manager_east")
    given = await new_task(org, "manager_east", assignee_id=org.rep_east1.id)
    other = await new_task(org, "manager_east", assignee_id=org.rep_sh.id)
    assert await listed(org, "manager_east") == sorted([own, given, other])
    assert await listed(org, "manager_east", assignee_id=org.rep_east1.id) == [given]
    assert await listed(org, "manager_east", assignee_id=org.manager_east.id) == [own]


async def test_status_lists_only_tasks_in_that_state(org):
    done = await new_task(org, "rep_east1")
    still_open = await new_task(org, "rep_east1")
    assert (await org.post("rep_east1", f"/api/v1/tasks/{done}/complete")).status_code == 200
    assert await listed(org, "rep_east1", status="done") == [done]
    assert await listed(org, "rep_east1", status="open") == [still_open]
    assert await listed(org, "rep_east1", status="cancelled") == []


async def test_due_before_lists_only_tasks_due_earlier(org):
    soon = await new_task(org, "rep_east1", due_at=at(1))
    later = await new_task(org, "rep_east1", due_at=at(48))
    assert await listed(org, "rep_east1", due_before=at(2)) == [soon]
    assert await listed(org, "rep_east1", due_before=at(49)) == sorted([soon, later])


async def test_updated_since_lists_only_later_changes(org):
    before = await new_task(org, "rep_east1")
    since = utcnow().isoformat()
    after = await new_task(org, "rep_east1")
    assert await listed(org, "rep_east1", updated_since=since) == [after]
    assert before not in await listed(org, "rep_east1", updated_since=since)


async def test_subject_type_and_id_list_only_the_tasks_of_that_record(org):
    ruili = await Customer.create(name="上海瑞丽服装", owner_id=org.rep_east1.id)
    other = await Customer.create(name="扬州五环印花厂", owner_id=org.rep_east1.id)
    deal = await Opportunity.create(customer_id=ruili.id, name="Winter uniforms", owner_id=org.rep_east1.id)
    on_ruili = await new_task(org, "rep_east1", subject={"type": "customer", "id": ruili.id})
    on_other = await new_task(org, "rep_east1", subject={"type": "customer", "id": other.id})
    on_deal = await new_task(org, "rep_east1", subject={"type": "opportunity", "id": deal.id})
    unlinked = await new_task(org, "rep_east1")
    assert await listed(org, "rep_east1") == sorted([on_ruili, on_other, on_deal, unlinked])
    assert await listed(org, "rep_east1", subject_type="customer", subject_id=ruili.id) == [on_ruili]
    assert await listed(org, "rep_east1", subject_type="opportunity", subject_id=deal.id) == [on_deal]
    assert await listed(org, "rep_east1", subject_type="customer") == sorted([on_ruili, on_other])
    # The example: an id nothing is linked to answers no task, not every task.
    assert await listed(org, "rep_east1", subject_type="customer", subject_id=999) == []


async def test_subject_filters_refuse_bad_input(org):
    await new_task(org, "rep_east1")
    for params, field in [
        ({"subject_id": 999}, "subject_id"),
        ({"subject_type": "user", "subject_id": 1}, "subject_type"),
        ({"subject_type": "customer", "subject_id": "x"}, "subject_id"),
        ({"subject_type": "customer", "subject_id": 2**31}, "subject_id"),
    ]:
        response = await org.get("rep_east1", "/api/v1/tasks", params=params)
        assert response.status_code == 422, (params, response.text)
        assert field in response.json()["error"]["details"]["fields"], (params, response.json())


async def test_subject_filter_shows_no_one_elses_tasks(org):
    theirs = await Customer.create(name="Westwind Foods", owner_id=org.rep_west.id)
    await new_task(org, "rep_west", subject={"type": "customer", "id": theirs.id})
    assert await listed(org, "rep_east1", subject_type="customer", subject_id=theirs.id) == []
