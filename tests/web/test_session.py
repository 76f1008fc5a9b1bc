"""Sign-in from a deep link, the language choice kept on the account, and
sign-out revoking the session's tokens."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.web.conftest import open_app
from tests.support.live import live_client


async def test_deep_link_opens_its_screen_after_sign_in(org: Any, servers: Any, browser: Any) -> None:
    customer = (await org.post("rep_east1", "/api/v1/customers", {"name": "深圳华彩电子"})).json()
    rep = await open_app(browser, servers.rep, "rep_east1", path=f"/app/customer/{customer['id']}")
    await expect(rep.locator(".customer h2")).to_have_text("深圳华彩电子")
    assert rep.url.endswith(f"/app/customer/{customer['id']}")
    opportunity = await org.post("rep_east1", "/api/v1/opportunities", {"customer_id": customer["id"], "name": "冬季工装", "amount": 120000})
    assert opportunity.status_code == 201, opportunity.text
    await rep.goto(servers.rep.url + f"/app/opportunity/{opportunity.json()['id']}")
    await expect(rep.locator(".opportunity h2")).to_have_text("冬季工装")
    await rep.locator(".opportunity a").click()
    await expect(rep.locator(".customer h2")).to_have_text("深圳华彩电子")
    # A record the user may not see answers 404 from the server: the screen says so.
    other = await open_app(browser, servers.rep, "rep_west", path=f"/app/customer/{customer['id']}")
    await expect(other.locator(".error")).to_contain_text("没有找到")


async def test_language_is_kept_on_the_account_and_times_follow_the_users_zone(org: Any, servers: Any, browser: Any) -> None:
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/settings")
    await expect(rep.locator(".nav-item.active")).to_contain_text("更多")
    await rep.click("button[data-language=en]")
    await expect(rep.locator(".nav")).to_contain_text("Feed")
    me = (await org.get("rep_east1", "/api/v1/me")).json()
    assert me["language"] == "en"
    # Another browser, same account: English from the start of the session.
    again = await open_app(browser, servers.rep, "rep_east1")
    await expect(again.locator(".nav")).to_contain_text("Customers")
    await again.fill(".composer textarea", "hello")
    await again.click(".composer button[type=submit]")
    await expect(again.locator(".feed-item", has_text="hello")).to_have_count(1)
    posted = (await org.get("rep_east1", "/api/v1/feed?scope=mine")).json()["items"][0]
    shown = await again.locator(f"[data-post-id='{posted['id']}'] time").get_attribute("datetime")
    assert shown == posted["created_at"]
    # The user's zone is Asia/Shanghai (UTC+8) and the browser's is UTC here.
    await expect(again.locator(f"[data-post-id='{posted['id']}'] time")).to_have_text(_shanghai(posted["created_at"]))


def _shanghai(iso: str) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    at = dt.datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai"))
    return at.strftime("%m/%d, %H:%M")


async def test_sign_out_revokes_the_session(org: Any, servers: Any, browser: Any) -> None:
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/settings")
    token = await rep.evaluate("JSON.parse(localStorage.getItem('fieldline.session')).access_token")
    async with live_client(base_url=servers.rep.url) as c:
        assert (await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
        await rep.click("button.signout")
        await expect(rep.locator("#f-login")).to_be_visible()
        assert await rep.evaluate("localStorage.getItem('fieldline.session')") is None
        assert (await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_expired_access_token_is_refreshed_without_the_user_noticing(org: Any, test_env: dict[str, str], browser: Any) -> None:
    from tests.support.live import LiveServer

    server = LiveServer({**test_env, "FIELDLINE_ACCESS_TOKEN_MINUTES": "0.02", "FIELDLINE_SESSION_CACHE_S": "0"})
    await server.start()
    try:
        rep = await open_app(browser, server, "rep_east1")
        first = await rep.evaluate("JSON.parse(localStorage.getItem('fieldline.session')).access_token")
        await rep.wait_for_timeout(2500)  # the 1.2-second access token is now expired
        await rep.click("a.nav-item[href='/app/customers']")
        await expect(rep.locator(".customers, .empty")).to_be_visible()
        await expect(rep.locator(".error")).to_have_count(0)
        second = await rep.evaluate("JSON.parse(localStorage.getItem('fieldline.session')).access_token")
        assert second != first
        assert not rep.errors
    finally:
        await server.stop()
