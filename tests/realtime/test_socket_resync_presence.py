"""Resync past the retention, pruning, and presence across connects and disconnects."""

from __future__ import annotations

import datetime as dt

from websockets.asyncio.client import connect

from server import presence
from server.actions.events import prune_event_log
from server.clock import utcnow
from tests.realtime.conftest import events, group, open_socket, recv, recv_until, say


async def test_since_past_pruned_events_gets_resync_required_then_live_events(live, http, org, event_log):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    for i in range(3):
        await say(http, org, "rep_east1", conversation["id"], f"old{i}")
    assert await prune_event_log(utcnow() + dt.timedelta(seconds=1)) >= 3
    assert await event_log(org.rep_east2.id) == []
    ws = await open_socket(live, org.tokens["rep_east2"], since=1)
    hello = await recv(ws)
    assert (await recv(ws)) == {"type": "resync_required"}
    await say(http, org, "rep_east1", conversation["id"], "new")
    [frame] = await events(ws, 1)
    assert frame["seq"] == hello["data"]["last_seq"] + 1 and frame["data"]["body"] == "hi"
    await ws.close()


async def test_since_older_than_the_retention_setting_gets_resync_required(org, test_env, http_factory):
    test_env["FIELDLINE_EVENT_RETENTION_HOURS"] = "0"
    server, http = await http_factory(test_env)
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    await say(http, org, "rep_east1", conversation["id"], "kept but too old")
    ws = await open_socket(server, org.tokens["rep_east2"], since=0)
    await recv(ws)
    assert (await recv(ws)) == {"type": "resync_required"}
    await ws.close()


async def test_a_since_from_the_future_or_not_a_number_gets_resync_required(live, org):
    for since in ("999999", "abc", "-1"):
        ws = await connect(f"{live.ws_url}?token={org.tokens['rep_east1']}&since={since}")
        assert (await recv(ws))["type"] == "hello"
        assert (await recv(ws)) == {"type": "resync_required"}
        await ws.close()


async def test_since_equal_to_last_seq_replays_nothing(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    await say(http, org, "rep_east1", conversation["id"], "seen")
    ws = await open_socket(live, org.tokens["rep_east2"])
    last = (await recv(ws))["data"]["last_seq"]
    await ws.close()
    ws = await open_socket(live, org.tokens["rep_east2"], since=last)
    await recv(ws)
    await ws.send('{"type": "ping"}')
    assert (await recv(ws)) == {"type": "pong"}
    await ws.close()


async def test_presence_goes_to_people_who_share_a_conversation_and_is_stored(live, http, org):
    await group(http, org, "rep_east1", ["rep_east2"])
    watcher = await open_socket(live, org.tokens["rep_east2"])
    stranger = await open_socket(live, org.tokens["rep_west"])
    await recv(watcher), await recv(stranger)
    before = utcnow()
    ws = await open_socket(live, org.tokens["rep_east1"])
    await recv(ws)
    online = await recv_until(watcher, "presence")
    assert "seq" not in online and online["data"]["user_id"] == org.rep_east1.id and online["data"]["online"] is True
    await ws.close()
    offline = await recv_until(watcher, "presence")
    assert offline["data"]["online"] is False
    since = (await presence.offline_since([org.rep_east1.id]))[org.rep_east1.id]
    assert since is not None and since >= before - dt.timedelta(seconds=1)
    await stranger.send('{"type": "ping"}')
    assert (await recv(stranger)) == {"type": "pong"}  # no presence frames for a stranger
    await watcher.close(), await stranger.close()


async def test_offline_since_says_none_when_online_and_created_at_when_never_seen(org):
    tracker = presence.current()
    assert tracker is not None  # the app's lifespan installed it
    await tracker.add(org.rep_east1.id)
    try:
        answer = await presence.offline_since([org.rep_east1.id, org.rep_east2.id, 999999])
    finally:
        await tracker.remove(org.rep_east1.id)
    assert answer[org.rep_east1.id] is None
    assert answer[org.rep_east2.id] == org.rep_east2.created_at
    assert answer[999999] == presence.NEVER
