"""More of a rep's day in the browser: a task from the manager arrives live
and is accepted and completed, a reminder snoozed, the pool claimed, the
daily report with the server's figures seen by the manager, a check-in with a
photo, and the app shell opening offline."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image
from playwright.async_api import expect

from tests.web.conftest import open_app
from tests.support.live import live_client


def _later(hours: float) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)).isoformat()


async def test_task_from_the_manager_arrives_live_and_is_accepted_then_completed(org: Any, servers: Any, browser: Any) -> None:
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/tasks")
    await expect(rep.locator(".tasks")).to_be_visible()
    async with live_client(base_url=servers.manager.url) as c:  # the manager, on the other process
        task = (await c.post("/api/v1/tasks", headers=org.headers("manager_east"), json={
            "title": "拜访瑞丽服装", "due_at": _later(30), "remind_at": _later(29), "assignee_id": org.rep_east1.id})).json()
    row = rep.locator(f".tasks .card:has(h3:text('我的任务')) [data-task-id='{task['id']}']")
    await expect(row).to_have_attribute("data-status", "pending")
    await row.locator("button.accept").click()
    await expect(row).to_have_attribute("data-status", "open")
    reminder = rep.locator("[data-reminder-id]", has_text="拜访瑞丽服装")
    await expect(reminder).to_have_count(1)
    first_time = await reminder.locator("time").text_content()
    await reminder.get_by_role("button", name="稍后提醒").click()
    await expect(reminder.locator("time")).not_to_have_text(first_time)
    upcoming = (await org.get("rep_east1", "/api/v1/reminders?upcoming=true")).json()["items"]
    fire_at = dt.datetime.fromisoformat(next(r for r in upcoming if r["title"] == "拜访瑞丽服装")["fire_at"])
    assert fire_at < dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)  # 10 minutes, not 29 hours
    await row.locator("button.complete").click()
    await expect(row).to_have_count(0)  # done: off the open list
    assert (await org.get("rep_east1", f"/api/v1/tasks/{task['id']}")).json()["status"] == "done"
    assert not rep.errors


async def test_pool_customer_is_claimed(org: Any, servers: Any, browser: Any) -> None:
    customer = (await org.post("rep_east2", "/api/v1/customers", {"name": "杭州远航化工"})).json()
    assert (await org.post("rep_east2", f"/api/v1/customers/{customer['id']}/release", {"reason": "没有需求"})).status_code == 200
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/customers?scope=pool")
    await rep.locator(".customers a", has_text="杭州远航化工").click()
    await rep.click("button.claim")
    await expect(rep.locator(".customer .kv")).to_contain_text("张伟")
    await expect(rep.locator(".list li", has_text="领取")).to_have_count(1)  # the history says so
    assert (await org.get("rep_east1", f"/api/v1/customers/{customer['id']}")).json()["owner_id"] == org.rep_east1.id


async def test_daily_report_shows_the_servers_figures_and_the_manager_sees_it(org: Any, servers: Any, browser: Any) -> None:
    customer = (await org.post("rep_east1", "/api/v1/customers", {"name": "苏州华星", "lat": 31.2304, "lng": 121.4737})).json()
    rep = await open_app(browser, servers.rep, "rep_east1", path=f"/app/visit?customer_id={customer['id']}")
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(photo, format="PNG")
    await rep.set_input_files("#f-photo", files=[{"name": "door.png", "mimeType": "image/png", "buffer": photo.getvalue()}])
    await rep.click("button.checkin")
    await expect(rep.locator(".checkin-result")).to_be_visible()
    checkin_id = await rep.locator(".checkin-result").get_attribute("data-checkin-id")
    assert len((await org.get("rep_east1", f"/api/v1/checkins/{checkin_id}")).json()["photo_ids"]) == 1

    manager = await open_app(browser, servers.manager, "manager_east", path="/app/report", desktop=True)
    await expect(manager.locator(".missing")).to_contain_text("张伟")
    await rep.goto(servers.rep.url + "/app/report")
    await rep.fill("#f-summary", "拜访苏州华星")
    await rep.fill("#f-plan", "明天寄样品")
    await rep.click("button[type=submit]")
    await expect(rep.locator(".report-saved [data-figure=checkins]")).to_have_text("1")
    await manager.reload()
    await expect(manager.locator(".team-reports .list")).to_contain_text("拜访苏州华星")
    await expect(manager.locator(".missing")).not_to_contain_text("张伟")


async def test_the_shell_opens_offline_once_loaded(org: Any, servers: Any, browser: Any) -> None:
    rep = await open_app(browser, servers.rep, "rep_east1")
    await rep.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await rep.reload()  # now under the worker's control
    await expect(rep.locator(".conn.online")).to_be_visible()
    assert await rep.evaluate("!!navigator.serviceWorker.controller")
    await rep.context.set_offline(True)
    await rep.goto(servers.rep.url + "/app/customers")
    await expect(rep.locator(".topbar")).to_be_visible()  # the cached page and modules
    await expect(rep.locator(".conn.offline")).to_be_visible()
    await rep.context.set_offline(False)
    await expect(rep.locator(".conn.online")).to_be_visible()


async def test_admin_creates_a_user_and_sees_the_servers_error_on_the_field(org: Any, servers: Any, browser: Any) -> None:
    admin = await open_app(browser, servers.rep, "admin", path="/app/users", desktop=True)
    await admin.fill("#f-login", "bad login!")
    await admin.fill("#f-name", "赵敏")
    await admin.fill("#f-password", "a-long-enough-password-42")
    await admin.select_option("#f-department_id", str(org.departments["east"].id))
    await admin.click("form button[type=submit]")
    await expect(admin.locator(".field-error[data-field=login]")).to_be_visible()
    await admin.fill("#f-login", "zhao.min")
    await admin.click("form button[type=submit]")
    await expect(admin.locator("table.users tr", has_text="zhao.min")).to_contain_text("East")
    await expect(admin.locator(".field-error")).to_have_count(0)
