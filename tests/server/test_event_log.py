"""Durable events: per-user seq gap-free under concurrency, written with the change,
dropped on rollback, published only after commit."""

from __future__ import annotations

import asyncio

import pytest

from realtime.wire import event_frame
from server import runtime
from server.actions.notify import notify
from server.events import EventType
from server.transaction import atomic, emit


async def test_fifty_concurrent_actions_give_seqs_one_to_fifty(org, event_log):
    user_id = org.rep_east1.id

    async def one(i: int) -> None:
        await notify([user_id], "system", f"note {i}")

    await asyncio.gather(*(one(i) for i in range(50)))
    events = await event_log(user_id)
    assert [e["seq"] for e in events] == list(range(1, 51))
    assert sorted(e["data"]["title"] for e in events) == sorted(f"note {i}" for i in range(50))


async def test_concurrent_fan_out_to_overlapping_groups_stays_gap_free(org, event_log):
    ids = [u.id for u in org.users.values()]

    async def one(i: int) -> None:
        group = ids[i % 3 :] if i % 2 else ids[: len(ids) - i % 3]
        await notify(group, "system", f"group {i}")

    await asyncio.gather(*(one(i) for i in range(30)))
    for user_id in ids:
        seqs = [e["seq"] for e in await event_log(user_id)]
        assert seqs == list(range(1, len(seqs) + 1)), f"user {user_id}: {seqs}"


async def test_rollback_drops_the_events_and_keeps_seq_gap_free(org, event_log):
    user_id = org.rep_west.id
    await notify([user_id], "system", "first")
    with pytest.raises(RuntimeError):
        async with atomic():
            await notify([user_id], "system", "never")
            raise RuntimeError("the action failed")
    await notify([user_id], "system", "second")
    events = await event_log(user_id)
    assert [(e["seq"], e["data"]["title"]) for e in events] == [(1, "first"), (2, "second")]


async def test_events_are_published_after_commit_with_each_recipients_seq(org):
    published = []
    seen_at_publish = []

    async def publisher(batch):
        from server.models.events import EventLogEntry

        seen_at_publish.append(await EventLogEntry.filter(user_id=org.rep_sh.id).count())
        published.extend(batch)

    state = runtime.current()
    previous = state.publisher
    state.publisher = publisher
    try:
        async with atomic():
            emit(EventType.NOTIFICATION_NEW, [org.rep_sh.id, org.rep_east2.id], {
                "id": 1, "kind": "system", "title": "九点开会", "body": "", "link": {"type": None, "id": None},
                "data": {}, "read": False, "created_at": "2026-12-04T09:00:00+00:00",
            })
            assert published == []
    finally:
        state.publisher = previous
    assert len(published) == 1
    event = published[0]
    assert sorted(event.targets) == sorted([(org.rep_sh.id, 1), (org.rep_east2.id, 1)])
    assert seen_at_publish == [1], "published before the rows were committed"
    frame = event_frame(event, 1)
    assert frame.startswith(b'{"seq":1,"type":"notification.new"')
    assert "九点开会".encode() in frame


async def test_emit_outside_a_transaction_is_a_programming_error(org):
    with pytest.raises(RuntimeError, match="atomic"):
        emit(EventType.NOTIFICATION_NEW, [org.admin.id], {})


async def test_ephemeral_types_are_never_logged(org):
    with pytest.raises(ValueError):
        async with atomic():
            emit(EventType.TYPING, [org.admin.id], {})
