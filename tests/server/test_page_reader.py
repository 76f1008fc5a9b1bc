"""List and feed pages on SQLite are read on the event loop's thread through a
read-only connection: they see every commit made before them, a transaction's
own writes, and a statement past its budget is answered by the worker thread."""

from __future__ import annotations

import sqlite3

import pytest
from tortoise import connections

from server import db
from server.access import viewer_for
from server.models.customers import Customer
from server.queries.customer_page import plain_page
from server.transaction import atomic
from tests.support.customers import ids, make_customer

LONG = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) "
        "SELECT count(*) FROM c")


def _sqlite_only(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the page reader is SQLite's")


async def test_a_list_shows_the_customer_the_same_client_just_added(org) -> None:
    first = await make_customer(org, "rep_sh", "申城建材")
    assert await ids(org, "rep_sh", "/api/v1/customers?scope=mine") == [first["id"]]
    second = await make_customer(org, "rep_sh", "东海水产")
    assert await ids(org, "rep_sh", "/api/v1/customers?scope=mine") == [second["id"], first["id"]]
    await org.delete("rep_sh", f"/api/v1/customers/{first['id']}", headers={"If-Match": "1"})
    assert await ids(org, "rep_sh", "/api/v1/customers?scope=mine") == [second["id"]]


async def test_pages_are_read_on_the_loop_and_see_each_commit(org, backend) -> None:
    _sqlite_only(backend)
    viewer = await viewer_for(org.rep_sh)
    assert (await plain_page(viewer, "mine", None, 50, None))["items"] == []
    reader = db._readers.get(connections.get("default"))
    assert reader is not None  # the page was read through it
    made = await make_customer(org, "rep_sh", "申城建材")
    assert [c["id"] for c in (await plain_page(viewer, "mine", None, 50, None))["items"]] == [made["id"]]
    # a commit by another connection (another process) is seen by the next page too
    path = connections.get("default").filename
    other = sqlite3.connect(path, isolation_level=None, timeout=10)
    other.execute("UPDATE customers SET name = ? WHERE id = ?", ("改名贸易", made["id"]))
    other.close()
    assert (await plain_page(viewer, "mine", None, 50, None))["items"][0]["name"] == "改名贸易"
    assert not reader.connection.in_transaction


async def test_a_page_read_inside_a_transaction_sees_its_writes(org, backend) -> None:
    made = await make_customer(org, "rep_sh", "申城建材")
    viewer = await viewer_for(org.rep_sh)

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        async with atomic():
            await Customer.filter(id=made["id"]).update(name="事务里的名字")
            assert (await plain_page(viewer, "mine", None, 50, None))["items"][0]["name"] == "事务里的名字"
            raise Undo
    assert (await plain_page(viewer, "mine", None, 50, None))["items"][0]["name"] == "申城建材"


async def test_a_statement_past_its_budget_is_answered_by_the_worker_thread(org, backend) -> None:
    _sqlite_only(backend)
    assert await db.read_page(LONG, [10]) == [(10,)]
    reader = db._readers[connections.get("default")]
    assert reader.ticks <= reader.allowed  # a short one ran on the loop
    rows = await db.read_page(LONG, [200_000], budget=5_000)
    assert [tuple(r) for r in rows] == [(200_000,)]
    assert reader.ticks > reader.allowed  # cut off on the loop, then answered by the worker thread
    # the same statement again goes to the worker thread without starting on the loop
    reader.ticks = 0
    assert [tuple(r) for r in await db.read_page(LONG, [300_000], budget=5_000)] == [(300_000,)]
    assert reader.ticks == 0
    assert [tuple(r) for r in await db.read_page(LONG, [20])] == [(20,)]
    assert reader.ticks == 0  # remembered by its text, whatever its parameters

