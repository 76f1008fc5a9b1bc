"""Client frames: message.send/ack, typing, read, ping; bad frames; floods; revoked sessions."""

from __future__ import annotations

import asyncio

import orjson

from tests.conftest import PASSWORD
from tests.realtime.conftest import close_code, events, group, open_socket, recv, recv_until, say


async def test_message_send_is_acked_once_per_client_id_like_rest(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    ws = await open_socket(live, org.tokens["rep_east1"])
    await recv(ws)
    frame = {"type": "message.send", "conversation_id": conversation["id"], "client_id": "ws-1", "body": "到了"}
    await ws.send(orjson.dumps(frame).decode())
    ack = await recv_until(ws, "ack")
    assert set(ack) == {"type", "client_id", "message_id"} and ack["client_id"] == "ws-1"
    await ws.send(orjson.dumps(frame).decode())
    assert (await recv_until(ws, "ack"))["message_id"] == ack["message_id"]
    rest = await say(http, org, "rep_east1", conversation["id"], "ws-1", "到了")
    assert rest.status_code == 200 and rest.json()["id"] == ack["message_id"]
    history = (await http.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=org.headers("rep_east2"))).json()
    assert [m["id"] for m in history["items"]] == [ack["message_id"]]
    await ws.close()


async def test_bad_frames_get_error_frames_and_the_socket_stays_open(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    ws = await open_socket(live, org.tokens["rep_east1"])
    await recv(ws)
    bad = {
        "not json": "malformed",
        "[1, 2]": "malformed",
        '{"type": "launch"}': "malformed",
        '{"type": "message.send", "conversation_id": %d}' % conversation["id"]: "validation_error",
        '{"type": "message.send", "conversation_id": 999999, "client_id": "z", "body": "x"}': "not_found",
        '{"type": "read", "conversation_id": "1", "up_to_message_id": 1}': "validation_error",
        '{"type": "typing", "conversation_id": 999999}': "not_found",
        orjson.dumps({"type": "ping", "pad": "x" * 1_000_000}).decode(): "too_large",
    }
    for text, code in bad.items():
        await ws.send(text)
        frame = await recv_until(ws, "error")
        assert frame["error"]["code"] == code, (text[:60], frame)
        assert set(frame["error"]) == {"code", "message", "details"}
    await ws.send(b"\x00\x01")  # binary frames are not JSON text
    assert (await recv_until(ws, "error"))["error"]["code"] == "malformed"
    await ws.send('{"type": "ping"}')
    assert (await recv_until(ws, "pong")) == {"type": "pong"}
    await ws.close()


async def test_typing_reaches_the_other_members_without_a_seq(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    typist = await open_socket(live, org.tokens["rep_east1"])
    reader = await open_socket(live, org.tokens["rep_east2"])
    await recv(typist), await recv(reader)
    await typist.send(orjson.dumps({"type": "typing", "conversation_id": conversation["id"]}).decode())
    frame = await recv_until(reader, "typing")
    assert "seq" not in frame
    assert frame["data"] == {"conversation_id": conversation["id"], "user_id": org.rep_east1.id}
    await typist.send('{"type": "ping"}')
    assert (await recv_until(typist, "pong"))["type"] == "pong"  # the typist got no typing frame of its own
    await typist.close(), await reader.close()


async def test_read_frame_moves_the_cursor_and_members_get_read_updated(live, http, org):
    conversation = await group(http, org, "rep_east1", ["rep_east2"])
    message = (await say(http, org, "rep_east1", conversation["id"], "r1")).json()
    sender = await open_socket(live, org.tokens["rep_east1"])
    reader = await open_socket(live, org.tokens["rep_east2"])
    await recv(sender), await recv(reader)
    await reader.send(orjson.dumps({"type": "read", "conversation_id": conversation["id"],
                                    "up_to_message_id": message["id"]}).decode())
    for ws in (sender, reader):
        [frame] = await events(ws, 1)
        assert frame["type"] == "read.updated"
        assert frame["data"] == {"conversation_id": conversation["id"], "user_id": org.rep_east2.id,
                                 "up_to_message_id": message["id"]}
    await sender.close(), await reader.close()


async def test_a_flood_is_rate_limited_then_closed_4429(live, org):
    ws = await open_socket(live, org.tokens["rep_east1"])
    await recv(ws)
    for _ in range(400):
        await ws.send('{"type": "ping"}')
    frames = []
    code = None
    try:
        while True:
            frames.append(orjson.loads(await asyncio.wait_for(ws.recv(), 10)))
    except Exception:
        code = await close_code(ws)
    errors = [f for f in frames if f["type"] == "error"]
    assert errors and errors[0]["error"]["code"] == "rate_limited"
    assert code == 4429
    assert len([f for f in frames if f["type"] == "pong"]) < 400


async def test_logging_out_closes_that_sessions_socket_with_4403(live, http, org):
    ws = await open_socket(live, org.tokens["rep_east1"])
    other_user = await open_socket(live, org.tokens["rep_east2"])
    await recv(ws), await recv(other_user)
    response = await http.post("/api/v1/auth/logout", headers=org.headers("rep_east1"))
    assert response.status_code in (200, 204), response.text
    assert await close_code(ws, timeout=3) == 4403
    await other_user.send('{"type": "ping"}')
    assert (await recv_until(other_user, "pong"))["type"] == "pong"
    again = await open_socket(live, org.tokens["rep_east1"])
    assert await close_code(again) == 4401
    await other_user.close()


async def test_a_replayed_refresh_token_closes_that_sessions_sockets_with_4403(live, http, org):
    signed_in = (await http.post("/api/v1/auth/login", json={"login": "rep_east1", "password": PASSWORD})).json()
    ws = await open_socket(live, signed_in["access_token"])
    await recv(ws)
    rotated = await http.post("/api/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]})
    assert rotated.status_code == 200
    replayed = await http.post("/api/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]})
    assert replayed.status_code == 401
    assert await close_code(ws, timeout=3) == 4403
