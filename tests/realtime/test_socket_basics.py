"""`/ws`: authentication, hello, live events with seq, and resume with `since`."""

from __future__ import annotations

import asyncio

from tests.realtime.conftest import close_code, events, group, open_socket, recv, say


async def test_a_socket_without_a_valid_token_is_accepted_then_closed_4401(live):
    for token in (None, "not-a-token"):
        ws = await open_socket(live, token)
        assert await close_code(ws) == 4401


async def test_the_token_may_come_in_the_authorization_header(live, org):
    ws = await open_socket(live, None, additional_headers=org.headers("rep_east1"))
    hello = await recv(ws)
    assert hello["type"] == "hello"
    assert hello["data"]["user_id"] == org.rep_east1.id
    await ws.close()


async def test_hello_then_every_member_gets_the_message_with_their_next_seq(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    sender = await open_socket(live, org.tokens["rep_east1"])
    other = await open_socket(live, org.tokens["rep_east2"])
    outsider = await open_socket(live, org.tokens["rep_west"])
    hellos = [await recv(ws) for ws in (sender, other, outsider)]
    assert [h["type"] for h in hellos] == ["hello"] * 3
    assert set(hellos[0]["data"]) == {"user_id", "last_seq", "server_time", "heartbeat_s"}
    response = await say(http, org, "rep_east1", conversation["id"], "c-1", "见面聊")
    assert response.status_code == 201
    for ws, hello in ((sender, hellos[0]), (other, hellos[1])):
        [frame] = await events(ws, 1)
        assert frame["type"] == "message.new"
        assert frame["seq"] == hello["data"]["last_seq"] + 1
        assert frame["data"] == response.json()
    await outsider.send('{"type": "ping"}')
    assert (await recv(outsider))["type"] == "pong"  # and no message.new before it
    for ws in (sender, other, outsider):
        await ws.close()


async def test_resume_with_since_replays_what_was_missed_in_order_then_goes_live(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    ws = await open_socket(live, org.tokens["rep_east2"])
    last = (await recv(ws))["data"]["last_seq"]
    await ws.close()
    for i in range(5):
        await say(http, org, "rep_east1", conversation["id"], f"m{i}", f"missed {i}")
    ws = await open_socket(live, org.tokens["rep_east2"], since=last)
    assert (await recv(ws))["data"]["last_seq"] == last + 5
    replayed = await events(ws, 5)
    assert [f["seq"] for f in replayed] == list(range(last + 1, last + 6))
    assert [f["data"]["body"] for f in replayed] == [f"missed {i}" for i in range(5)]
    await say(http, org, "rep_east1", conversation["id"], "live", "live one")
    [live_frame] = await events(ws, 1)
    assert live_frame["seq"] == last + 6 and live_frame["data"]["body"] == "live one"
    await ws.close()


async def test_two_sockets_of_one_user_each_get_every_event(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    phone = await open_socket(live, org.tokens["rep_east2"])
    web = await open_socket(live, org.tokens["rep_east2"])
    await recv(phone), await recv(web)
    await say(http, org, "rep_east1", conversation["id"], "both")
    a, b = await events(phone, 1), await events(web, 1)
    assert a == b
    await asyncio.gather(phone.close(), web.close())
