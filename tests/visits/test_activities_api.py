"""Follow-up notes: links to the customer's contacts and deals, reminders, visibility."""

from __future__ import annotations

import datetime as dt

from tests.visits.conftest import make_customer, now


async def _contact(customer, name: str = "Chen Li"):
    from server.models.customers import Contact

    return await Contact.create(customer_id=customer.id, name=name, owner_id=customer.owner_id)


async def _opportunity(customer, name: str = "Spring uniforms"):
    from server.models.customers import Opportunity

    return await Opportunity.create(customer_id=customer.id, name=name, owner_id=customer.owner_id, amount=1000)


async def test_note_with_next_contact_schedules_a_follow_up_for_the_author(org):
    from server.models.reminders import Reminder

    customer = await make_customer(org.rep_sh, name="瑞丽服装")
    contact = await _contact(customer)
    deal = await _opportunity(customer)
    follow_up = (now() + dt.timedelta(days=2)).replace(microsecond=0)
    response = await org.post("rep_sh", "/api/v1/activities", {
        "customer_id": customer.id, "contact_id": contact.id, "opportunity_id": deal.id, "kind": "call",
        "content": "Asked for samples", "reached": True, "next_contact_at": follow_up.isoformat(),
    })
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["author_id"] == org.rep_sh.id and body["contact_id"] == contact.id
    reminders = await Reminder.filter(link_type="activity", link_id=body["id"])
    assert len(reminders) == 1
    reminder = reminders[0]
    assert (reminder.user_id, reminder.kind, reminder.title) == (org.rep_sh.id, "follow_up", "瑞丽服装")
    assert reminder.fire_at == follow_up and reminder.status == "scheduled"


async def test_note_without_next_contact_schedules_nothing_and_posts_to_the_feed(org):
    from server.models.feed import FeedItem
    from server.models.reminders import Reminder

    customer = await make_customer(org.rep_sh)
    response = await org.post("rep_sh", "/api/v1/activities",
                              {"customer_id": customer.id, "kind": "visit", "content": "Walked the showroom"})
    assert response.status_code == 201 and response.json()["reached"] is True
    assert await Reminder.all().count() == 0
    item = await FeedItem.get(kind="activity", author_id=org.rep_sh.id)
    assert "Walked the showroom" in item.body and item.subject_id == customer.id


async def test_contact_or_deal_of_another_customer_is_422(org):
    from server.models.reminders import Reminder
    from server.models.visits import Activity

    mine = await make_customer(org.rep_sh)
    other = await make_customer(org.rep_sh, name="Another Co")
    foreign_contact = await _contact(other)
    foreign_deal = await _opportunity(other)
    base = {"customer_id": mine.id, "kind": "call", "content": "x",
            "next_contact_at": (now() + dt.timedelta(days=1)).isoformat()}
    contact = await org.post("rep_sh", "/api/v1/activities", {**base, "contact_id": foreign_contact.id})
    assert contact.status_code == 422 and "contact_id" in contact.json()["error"]["details"]["fields"]
    deal = await org.post("rep_sh", "/api/v1/activities", {**base, "opportunity_id": foreign_deal.id})
    assert deal.status_code == 422 and "opportunity_id" in deal.json()["error"]["details"]["fields"]
    assert await Activity.all().count() == 0 and await Reminder.all().count() == 0


async def test_bad_kind_naive_time_and_invisible_customer_are_refused(org):
    mine = await make_customer(org.rep_sh)
    theirs = await make_customer(org.rep_west, name="Westwind Foods")
    kind = await org.post("rep_sh", "/api/v1/activities", {"customer_id": mine.id, "kind": "fax", "content": "x"})
    assert kind.status_code == 422 and "kind" in kind.json()["error"]["details"]["fields"]
    naive = await org.post("rep_sh", "/api/v1/activities", {"customer_id": mine.id, "kind": "call", "content": "x",
                                                           "next_contact_at": "2026-12-01T09:00:00"})
    assert naive.status_code == 422 and "next_contact_at" in naive.json()["error"]["details"]["fields"]
    hidden = await org.post("rep_sh", "/api/v1/activities", {"customer_id": theirs.id, "kind": "call", "content": "x"})
    assert hidden.status_code == 404


async def test_notes_are_visible_to_author_managers_and_customer_owner_only(org):
    from server.models.customers import CustomerShare

    customer = await make_customer(org.rep_sh)
    await CustomerShare.create(customer_id=customer.id, user_id=org.rep_west.id)
    by_west = (await org.post("rep_west", "/api/v1/activities",
                              {"customer_id": customer.id, "kind": "note", "content": "Shared lead"})).json()
    by_sh = (await org.post("rep_sh", "/api/v1/activities",
                            {"customer_id": customer.id, "kind": "call", "content": "Called"})).json()
    path = f"/api/v1/activities/{by_sh['id']}"
    assert (await org.get("manager_east", path)).status_code == 200
    assert (await org.get("rep_east1", path)).status_code == 404
    assert (await org.get("manager_west", path)).status_code == 404
    # The customer's owner sees notes others wrote about it.
    assert (await org.get("rep_sh", f"/api/v1/activities/{by_west['id']}")).status_code == 200
    listed = (await org.get("rep_east1", "/api/v1/activities")).json()
    assert listed["items"] == []


async def test_list_filters_by_customer_kind_and_author(org):
    a = await make_customer(org.rep_sh, name="Alpha")
    b = await make_customer(org.rep_sh, name="Beta")
    for customer, kind in ((a, "call"), (a, "visit"), (b, "call")):
        await org.post("rep_sh", "/api/v1/activities", {"customer_id": customer.id, "kind": kind, "content": kind})
    by_customer = (await org.get("manager_east", f"/api/v1/activities?customer_id={a.id}")).json()["items"]
    assert [x["kind"] for x in by_customer] == ["visit", "call"]  # newest first
    calls = (await org.get("rep_sh", "/api/v1/activities?kind=call")).json()["items"]
    assert {x["customer_id"] for x in calls} == {a.id, b.id}
    page = (await org.get("rep_sh", "/api/v1/activities?limit=2")).json()
    rest = (await org.get("rep_sh", f"/api/v1/activities?limit=2&cursor={page['next_cursor']}")).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert (await org.get("rep_sh", f"/api/v1/activities?user_id={org.rep_east1.id}")).json()["items"] == []
