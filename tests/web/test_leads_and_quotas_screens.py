"""The web app shows a lead with its history, and an admin edits the quota targets."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.web.conftest import open_app


async def test_a_lead_screen_shows_its_history(org: Any, servers: Any, browser: Any) -> None:
    lead = (await org.post("rep_sh", "/api/v1/leads", {"company": "扬州五环印花厂"})).json()
    assert (await org.patch("manager_east", f"/api/v1/leads/{lead['id']}", {"owner_id": org.rep_east1.id})).status_code == 200
    page = await open_app(browser, servers.rep, "manager_east", path=f"/app/lead/{lead['id']}", desktop=True)
    await expect(page.locator(".card.lead h2")).to_have_text("扬州五环印花厂")
    await expect(page.locator(".list li")).to_have_count(2)
    await expect(page.locator(".list li").first).to_contain_text("张伟")


async def test_an_admin_sets_a_departments_target(org: Any, servers: Any, browser: Any) -> None:
    east = org.departments["east"].id
    page = await open_app(browser, servers.rep, "admin", path="/app/quotas", desktop=True)
    row = page.locator(f"tr[data-quota='/api/v1/quotas/departments/{east}']")
    await row.locator("input[name=effective_contacts]").fill("12")
    async with page.expect_response(lambda r: r.request.method == "PUT" and "/api/v1/quotas/departments/" in r.url) as saved:
        await row.locator("button").click()
    assert (await saved.value).status == 200
    book = (await org.get("admin", "/api/v1/quotas")).json()
    assert [(d["department_id"], d["effective_contacts"]) for d in book["departments"]] == [(east, 12)]


async def test_after_an_admin_reset_the_app_asks_for_an_own_password_first(org: Any, servers: Any, browser: Any) -> None:
    reset = await org.post("admin", f"/api/v1/users/{org.rep_west.id}/reset-password", {"password": "temporary-pass-77"})
    assert reset.status_code == 200
    context = await browser.new_context(locale="zh-CN", timezone_id="UTC")
    page = await context.new_page()
    await page.goto(servers.rep.url + "/app")
    await page.fill("#f-login", "rep_west")
    await page.fill("#f-password", "temporary-pass-77")
    await page.click("button[type=submit]")
    await expect(page.locator("form.first-password")).to_be_visible()
    await page.fill("#f-old_password", "temporary-pass-77")
    await page.fill("#f-new_password", "my-own-secret-42")
    await page.click("form.first-password button[type=submit]")
    await expect(page.locator(".conn.online")).to_be_visible()
    await context.close()
