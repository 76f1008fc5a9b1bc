"""`GET /ws`: authenticate, say hello, replay from `?since=`, then live.

The connection is registered with the hub *before* the log is read, so an
event committed while the socket connects is either in the log read or
offered live, and the connection's seq bookkeeping drops the second copy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from starlette.websockets import WebSocket

from realtime import log as event_log
from realtime import wire
from realtime.connection import CloseCode, Connection, State
from realtime.frames import Budget, Client, handle
from realtime.hub import Hub
from realtime.wire import HELLO, RESYNC_REQUIRED
from server.access import Viewer
from server.actions import presence
from server.actions.auth import authenticate
from server.clock import utcnow
from server.errors import AppError
from server.logs import bind_request_id, current_request_id, request_id_for
from server.metrics import OPEN_SOCKETS, RESYNCS
from server.sessions import bearer_token, viewer_from_token
from server.settings import get_settings

log = logging.getLogger(__name__)

HEARTBEAT_S = 25  # protocol pings from the server (uvicorn), see docs/realtime.md
WS_MAX_FRAME_BYTES = 1_150_000  # larger frames end the socket (1009); see realtime.frames
CLOSE_TIMEOUT_S = 2.0
MAX_SEQ = 2**63 - 1


async def websocket_endpoint(websocket: WebSocket) -> None:
    if current_request_id() is None:  # this task serves only this socket: the id stays bound
        bind_request_id(request_id_for(websocket.scope))
    await websocket.accept()
    hub: Hub | None = getattr(websocket.app.state, "hub", None)
    if hub is None:  # the app runs without its services: nothing would be delivered
        await _close(websocket, CloseCode.TRY_AGAIN_LATER)
        return
    token = websocket.query_params.get("token") or bearer_token(websocket)
    since = websocket.query_params.get("since")
    _let_go_of_the_handshake(websocket)
    try:
        viewer, session_id = await viewer_from_token(token)
    except AppError:
        await _close(websocket, CloseCode.UNAUTHENTICATED)
        return
    del token
    connection = Connection(websocket, viewer.id, session_id)
    hub.add(connection)
    OPEN_SOCKETS.inc()
    log.info("socket opened for user %d", viewer.id)
    try:
        await _run(hub, connection, viewer, since)
    finally:
        hub.remove(connection)
        OPEN_SOCKETS.dec()
        log.info("socket closed for user %d (code %s)", viewer.id, connection.close_code)


def _let_go_of_the_handshake(websocket: WebSocket) -> None:
    """Everything the socket needs from its request has been read: its headers (in
    the scope the server and the socket share, and parsed again by Starlette) and
    the scope's extensions would otherwise stay for as long as the socket is open."""
    scope = websocket.scope
    scope["headers"] = []
    scope.pop("extensions", None)
    for cached in ("_headers", "_query_params", "_url", "_cookies"):
        websocket.__dict__.pop(cached, None)


async def _run(hub: Hub, connection: Connection, viewer: Viewer, since: str | None) -> None:
    try:  # the session may have been revoked between the token check and registering
        await authenticate(viewer.id, connection.session_id)
    except AppError:
        await _close(connection.websocket, CloseCode.REVOKED)
        return
    await hub.send(await presence.socket_opened(viewer.id))
    try:
        await _start(connection, since)
        await _serve(hub, connection, viewer)
    finally:
        await hub.send(await presence.socket_closed(viewer.id))


async def _start(connection: Connection, since_text: str | None) -> None:
    websocket = connection.websocket
    committed = await event_log.last_seq(connection.user_id)
    await websocket.send_text(wire.frame(HELLO, data={
        "user_id": connection.user_id, "last_seq": committed,
        "server_time": utcnow().isoformat(), "heartbeat_s": HEARTBEAT_S,
    }))
    start = committed
    if since_text is not None:
        since = _parse_since(since_text)
        if since is not None and await _replayable(connection.user_id, since, committed):
            start = since
        else:
            RESYNCS.inc()
            await websocket.send_text(wire.frame(RESYNC_REQUIRED))
    connection.start_at(start, committed)


def _parse_since(text: str) -> int | None:
    try:
        since = int(text)
    except ValueError:
        return None
    return since if 0 <= since <= MAX_SEQ else None


async def _replayable(user_id: int, since: int, committed: int) -> bool:
    """True when the log still holds every event after `since`."""
    if since > committed:
        return False  # a seq this server never gave out (another database?)
    if since == committed:
        return True
    first = await event_log.first_after(user_id, since)
    if first is None or first[0] != since + 1:
        return False
    retention = dt.timedelta(hours=get_settings().event_retention_hours)
    created = first[1] if first[1].tzinfo else first[1].replace(tzinfo=dt.timezone.utc)
    return created >= utcnow() - retention


async def _serve(hub: Hub, connection: Connection, viewer: Viewer) -> None:
    """Read frames in this task; frames to the client are written at once or by a
    writer task that lives only while something waits to be sent, so an idle socket
    costs this one task of ours (memory per socket is a goal, docs/realtime.md)."""
    client = Client(hub, connection, viewer, Budget())
    connection.reader = asyncio.current_task()
    try:
        await _read_frames(client)
    finally:
        connection.reader = None
        await connection.finish()
    if connection.close_code not in (None, CloseCode.INTERNAL_ERROR):
        await _close(connection.websocket, connection.close_code)


async def _read_frames(client: Client) -> None:
    connection = client.connection
    while connection.state is State.OPEN:
        try:
            connection.reading = True
            message = await connection.websocket.receive()
        except asyncio.CancelledError:
            # Connection.close() interrupts a waiting read; any other cancel goes on.
            task = asyncio.current_task()  # this coroutine's own task: never None here
            if connection.closing() and task is not None and task.uncancel() == 0:
                return
            raise
        finally:
            connection.reading = False
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            text = "\x00binary"  # answered as not JSON: frames are JSON text
        await handle(client, text)


async def _close(websocket: WebSocket, code: int) -> None:
    try:
        await asyncio.wait_for(websocket.close(code), CLOSE_TIMEOUT_S)
    except Exception:  # already gone, or too slow to take the close frame
        pass
