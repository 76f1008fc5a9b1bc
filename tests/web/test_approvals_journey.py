"""Issue 17's journey in browsers: a rep submits an expense with two receipts and a contract over the
threshold; the direct manager and then the director approve on their phones, in order; the contract is
locked while reviewed; the rep records a payment, which shows on the leaderboard."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.support.approvals import TWO_LEVELS, jpeg_bytes, make_contract, make_template
from tests.web.conftest import open_app


async def _approve(page: Any, title: str) -> None:
    await page.locator(".inbox .approval-row", has_text=title).locator("a").click()
    await page.locator("button.approve").click()
    await expect(page.locator(".decide button.approve")).to_have_count(0)


async def test_expense_and_contract_approved_in_order_then_paid(org: Any, servers: Any, browser: Any) -> None:
    await org.add_user("director", "manager", "hq", manages=["hq"], name="赵总监")
    await make_template(org, "contract", TWO_LEVELS)
    await make_template(org, "expense", [{"type": "direct_manager"}])
    contract = await make_contract(org, amount=250000)

    rep = await open_app(browser, servers.rep, "rep_sh", path="/app/expenses")
    await rep.fill("#f-title", "拜访出差")
    await rep.fill("input[name=amount-0]", "300")
    await rep.set_input_files("input[name=receipts-0]", files=[{"name": "taxi.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    await rep.click("button.add-line")
    await rep.fill("input[name=amount-1]", "120")
    await rep.set_input_files("input[name=receipts-1]", files=[{"name": "lunch.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes("gray")}])
    await rep.click(".new-expense button[type=submit]")
    await expect(rep.locator(".expense .total")).to_contain_text("420")
    await expect(rep.locator(".receipts[data-count='1']")).to_have_count(2)
    await rep.click("button.submit")
    await expect(rep.locator(".expense-status")).to_have_attribute("data-status", "reviewing")

    await rep.goto(f"{servers.rep.url}/app/contract/{contract['id']}")
    await rep.click("button.submit")
    await expect(rep.locator(".locked")).to_be_visible()
    locked = await org.patch("rep_sh", f"/api/v1/contracts/{contract['id']}", {"amount": 1})
    assert locked.json()["error"]["code"] == "under_review"

    manager = await open_app(browser, servers.manager, "manager_east", path="/app/approvals")
    await expect(manager.get_by_test_id("badge-approvals")).to_have_text("2")
    await _approve(manager, "拜访出差")
    await manager.goto(f"{servers.manager.url}/app/approvals")
    await _approve(manager, contract["number"])
    await expect(manager.locator(".step[data-step='1']")).to_have_attribute("data-status", "pending")
    await expect(rep.locator(".contract-status")).to_have_attribute("data-status", "reviewing")

    director = await open_app(browser, servers.manager, "director", path="/app/approvals")
    await _approve(director, contract["number"])
    await expect(director.locator(".request-status")).to_have_attribute("data-status", "approved")

    await expect(rep.locator(".contract-status")).to_have_attribute("data-status", "active")  # live, by the socket
    await expect(rep.locator(".locked")).to_have_count(0)
    await rep.fill(".payment input[name=amount]", "100000")
    await rep.click(".payment button[type=submit]")
    await expect(rep.locator(".collected")).to_contain_text("100,000")
    board = (await org.get("manager_east", "/api/v1/stats/leaderboard")).json()["items"]
    row = next(r for r in board if r["user_id"] == org.rep_sh.id)
    assert (row["contract_amount"], row["collected_amount"]) == (250000.0, 100000.0)
    assert (await org.get("rep_sh", "/api/v1/expenses")).json()["items"][0]["status"] == "approved"
    assert not rep.errors and not manager.errors and not director.errors
