"""The rep's server goes away and comes back: the page reconnects with
`?since=` and shows what it missed, nothing lost and nothing twice."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.support.live import LiveServer, live_client
from tests.web.conftest import open_app


async def test_dropped_socket_resumes_without_losing_or_repeating(org: Any, servers: Any, browser: Any) -> None:
    async def post_live(body: str) -> None:  # through a running server, so that it is published live
        async with live_client(base_url=servers.manager.url if servers.manager is not servers.rep else servers.rep.url) as c:
            response = await c.post("/api/v1/posts", json={"body": body}, headers=org.headers("rep_east1"))
            assert response.status_code == 201, response.text

    rep = await open_app(browser, servers.rep, "rep_east2")
    await post_live("断线前 @李娜")
    await expect(rep.locator(".feed-item", has_text="断线前")).to_have_count(1)
    sockets: list[str] = []
    rep.on("websocket", lambda ws: sockets.append(ws.url))

    servers.rep.kill()  # every socket to it drops at once
    await expect(rep.locator(".conn.offline")).to_be_visible()
    for n in range(3):  # written while the page cannot hear: the test's own app on the same database
        response = await org.post("rep_east1", "/api/v1/posts", {"body": f"断线中 {n} @李娜"})
        assert response.status_code == 201
    again = LiveServer(servers.rep.env, port=servers.rep.port)
    await again.start()
    servers.all[0] = again
    try:
        await expect(rep.locator(".conn.online")).to_be_visible()
        for n in range(3):
            await expect(rep.locator(".feed-item", has_text=f"断线中 {n}")).to_have_count(1)
        await expect(rep.locator(".feed-item", has_text="断线前")).to_have_count(1)
        assert sockets and all("since=" in url for url in sockets)
        await post_live("重连后 @李娜")
        await expect(rep.locator(".feed-item", has_text="重连后")).to_have_count(1)
        # Nothing was shown twice: every feed item on the page is a different post.
        ids = await rep.locator(".feed-item").evaluate_all("els => els.map(e => e.dataset.postId)")
        assert len(ids) == len(set(ids)) == 5
        await expect(rep.get_by_test_id("inbox-badge")).to_have_text("5")
    finally:
        if servers.rep is not again:
            servers.rep = again
    assert not rep.errors
