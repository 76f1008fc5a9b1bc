"""The hand-written list statement selects and renders exactly what the ORM definition does."""

from __future__ import annotations

import datetime as dt

from server.access import viewer_for
from server.actions.customers import create_customer, delete_customer, note_contact
from server.clock import utcnow
from server.actions.pool import release_to_pool, share_customer
from server.paging import newest_first
from server.queries.customer_lists import CustomerFilter, filtered
from server.queries.customer_page import plain_page
from server.queries.customers import render_customers

SCOPES = ("mine", "shared", "team", "pool", "all")
PEOPLE = ("admin", "manager_east", "manager_west", "rep_sh", "rep_east1", "rep_west")


async def _world(org) -> None:
    made = {}
    for index, who in enumerate(("rep_sh", "rep_sh", "rep_east1", "rep_west", "manager_east", "rep_east2", "rep_sh")):
        viewer = await viewer_for(org.users[who])
        made[index] = (viewer, await create_customer(viewer, {
            "name": f"列表公司{chr(0x4e00 + index * 7)}{chr(0x4e80 + index)}", "tags": ["甲", "乙"][: index % 3],
            "lat": 31.0 + index / 100, "lng": 121.0 + index / 100,
            **({"province": "江苏", "city": "扬州", "email": "a@example.com", "website": "https://example.com",
                "description": "印花"} if index % 2 else {}),
        }))
    await note_contact(made[1][1].id, utcnow() - dt.timedelta(days=3, microseconds=7))
    viewer, customer = made[0]
    await share_customer(viewer, customer.id, [org.rep_west.id, org.rep_east1.id])
    viewer, customer = made[3]
    await share_customer(viewer, customer.id, [org.rep_sh.id])
    viewer, customer = made[5]
    await release_to_pool(viewer, customer.id, "no budget")
    viewer, customer = made[6]
    await delete_customer(viewer, customer.id)


async def _orm_page(viewer, scope: str, owner_id, limit: int, cursor):
    rows, next_cursor = await newest_first(filtered(viewer, CustomerFilter(scope, owner_id=owner_id)), limit, cursor)
    return {"items": await render_customers(rows), "next_cursor": next_cursor}


async def test_every_scope_and_role_matches_the_orm_definition(org) -> None:
    await _world(org)
    checked = 0
    for who in PEOPLE:
        viewer = await viewer_for(org.users[who])
        for scope in SCOPES:
            for owner_id in (None, org.rep_sh.id):
                expected = await _orm_page(viewer, scope, owner_id, 200, None)
                assert await plain_page(viewer, scope, owner_id, 200, None) == expected, (who, scope, owner_id)
                checked += len(expected["items"])
    assert checked > 40  # the world is not empty for most of them


async def test_pages_match_too(org) -> None:
    await _world(org)
    viewer = await viewer_for(org.admin)
    fast_cursor = orm_cursor = None
    pages = 0
    while True:
        fast = await plain_page(viewer, "all", None, 2, fast_cursor)
        orm = await _orm_page(viewer, "all", None, 2, orm_cursor)
        assert fast == orm
        pages += 1
        fast_cursor, orm_cursor = fast["next_cursor"], orm["next_cursor"]
        if fast_cursor is None:
            break
    assert pages == 3  # six live customers, two a page


async def test_times_are_written_as_the_orm_page_writes_them(org) -> None:
    """Whole seconds (no fraction), a few microseconds, and times stored from another offset."""
    from server.models.customers import Customer

    await _world(org)
    viewer = await viewer_for(org.admin)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    moments = [dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc),
               dt.datetime(2026, 3, 1, 9, 30, 5, 7, tzinfo=dt.timezone.utc),
               dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=shanghai),
               dt.datetime(2026, 3, 1, 0, 0, 0, 500000, tzinfo=shanghai)]
    ids = [c.id for c in await Customer.filter(deleted_at=None).order_by("id")]
    for customer_id, moment in zip(ids, moments):
        await Customer.filter(id=customer_id).update(created_at=moment, updated_at=moment, last_contact_at=moment)
    fast = await plain_page(viewer, "all", None, 200, None)
    assert fast == await _orm_page(viewer, "all", None, 200, None)
    written = {c["id"]: c["created_at"] for c in fast["items"]}
    assert [written[i] for i in ids[:4]] == ["2026-03-01T09:30:00+00:00", "2026-03-01T09:30:05.000007+00:00",
                                             "1999-12-31T15:59:59.999999+00:00", "2026-02-28T16:00:00.500000+00:00"]
