"""A suite-style session against a real server, then its logs: no token,
password, refresh token or Idempotency-Key in any line; JSON lines (standard
error is not a terminal); each request's lines under its id, a card read
after its upload under the upload's id."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from websockets.asyncio.client import connect

from tests.conftest import PASSWORD
from tests.mobile_api.card_helpers import corpus_card
from tests.support.live import LiveServer, live_client


async def _hello(url: str, **kwargs: Any) -> dict[str, Any]:
    async with connect(url, **kwargs) as socket:
        return json.loads(await asyncio.wait_for(socket.recv(), 10))


async def _session(server: LiveServer, secrets: list[str]) -> dict[str, str]:
    """Sign in, use, resume a socket, rotate, change the password, sign out; returns request ids."""
    ids: dict[str, str] = {}
    new_password = "Another-long-secret-" + uuid.uuid4().hex[:6]
    wrong = "wrong-password-" + uuid.uuid4().hex[:6]
    key = "idem-" + uuid.uuid4().hex
    secrets += [PASSWORD, new_password, wrong, key]
    async with live_client(base_url=server.url, timeout=30) as client:
        refused = await client.post("/api/v1/auth/login", json={"login": "rep_sh", "password": wrong})
        assert refused.status_code == 401
        login = (await client.post("/api/v1/auth/login", json={"login": "rep_sh", "password": PASSWORD})).json()
        access, refresh = login["access_token"], login["refresh_token"]
        secrets += [access, refresh]
        auth = {"Authorization": f"Bearer {access}"}
        created = await client.post("/api/v1/customers", json={"name": "Log Test Trading"},
                                    headers={**auth, "Idempotency-Key": key})
        assert created.status_code == 201, created.text
        again = await client.post("/api/v1/customers", json={"name": "Log Test Trading"},
                                  headers={**auth, "Idempotency-Key": key})
        assert again.json()["id"] == created.json()["id"]
        image, _ = corpus_card()
        card = await client.post("/api/v1/cards", files={"image": ("card.jpg", image, "image/jpeg")}, headers=auth)
        assert card.status_code == 202, card.text
        ids["card"] = card.headers["X-Request-ID"]
        hello = await _hello(f"{server.ws_url}?token={access}")
        assert hello["type"] == "hello"
        assert (await _hello(f"{server.ws_url}?since=0&token={access}"))["type"] == "hello"
        assert (await _hello(server.ws_url, additional_headers=auth))["type"] == "hello"
        me = await client.get("/api/v1/me", params={"token": access}, headers=auth)  # a token pasted in a URL
        ids["me"] = me.headers["X-Request-ID"]
        for _ in range(100):  # the card is read in a worker process
            body = (await client.get(f"/api/v1/cards/{card.json()['id']}", headers=auth)).json()
            if body["status"] != "pending":
                break
            await asyncio.sleep(0.2)
        rotated = (await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})).json()
        secrets += [rotated["access_token"], rotated["refresh_token"]]
        auth = {"Authorization": f"Bearer {rotated['access_token']}"}
        changed = await client.put("/api/v1/me/password", headers=auth,
                                   json={"old_password": PASSWORD, "new_password": new_password})
        assert changed.status_code in (200, 204), changed.text
        await client.post("/api/v1/auth/logout", headers=auth)
    return ids


async def test_a_full_session_leaves_no_secret_in_the_logs(org: Any, test_env: dict[str, str]) -> None:
    server = LiveServer({**test_env, "FIELDLINE_LOG_LEVEL": "debug"})
    await server.start()
    secrets = [test_env["FIELDLINE_SECRET_KEY"]]
    try:
        ids = await _session(server, secrets)
    finally:
        await server.stop()
    text = server.log_path.read_text(errors="replace")
    for secret in secrets:
        assert secret not in text, f"a secret reached the log: {secret[:12]}…"
    # the access tokens' signatures too, in case a token is cut or re-encoded
    assert not any(secret.rsplit(".", 1)[-1] in text for secret in secrets if secret.count(".") == 2)
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    by_id: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_id.setdefault(line.get("request_id", ""), []).append(line)
    me_lines = by_id[ids["me"]]
    assert any(line.get("path") == "/api/v1/me" and line.get("status") == 200 for line in me_lines)
    card_lines = [line["message"] for line in by_id[ids["card"]]]
    assert any(message.startswith("card ") and (" read in " in message or "not read" in message)
               for message in card_lines), card_lines
    assert any(line["request_id"].startswith("job-") for line in lines if line.get("request_id"))
    assert any("socket opened" in line["message"] for line in lines)
