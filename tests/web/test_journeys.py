"""A rep and a manager at once in two browsers: chat both ways, a card scan
reviewed and saved, a check-in on the manager's map, a customer form that
shows the 撞单 answer before saving and the server's error next to its field."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.web.conftest import HERE, open_app


async def test_chat_goes_both_ways_with_typing_unread_and_read_cursor(org: Any, servers: Any, browser: Any) -> None:
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/chat/new")
    manager = await open_app(browser, servers.manager, "manager_east", path="/app/chat", desktop=True)

    await rep.locator("li", has_text="王经理").locator("button.direct").click()
    await expect(rep.locator(".conversation h2")).to_have_text("王经理")
    await rep.fill("input[name=message]", "王经理您好，报价单已发")
    await rep.press("input[name=message]", "Enter")
    await expect(rep.locator(".message.mine", has_text="报价单已发")).to_have_count(1)

    # The manager's open chat list shows the new conversation with one unread, live.
    row = manager.locator(".conversation-row", has_text="张伟")
    await expect(row.locator(".unread")).to_have_text("1")
    await expect(manager.get_by_test_id("badge-chat")).to_have_text("1")
    await row.click()
    await expect(manager.locator(".message", has_text="报价单已发")).to_have_count(1)
    await expect(manager.get_by_test_id("badge-chat")).to_have_count(0)  # read when opened
    await expect(rep.locator(".message.mine", has_text="✓✓")).to_have_count(1)  # the rep sees it was read

    await manager.locator("input[name=message]").press_sequentially("收到")
    await expect(rep.locator(".typing")).to_have_text("王经理 正在输入…")
    await manager.press("input[name=message]", "Enter")
    await expect(rep.locator(".message:not(.mine)", has_text="收到")).to_have_count(1)
    await expect(manager.locator(".message.mine", has_text="收到")).to_have_count(1)
    assert not rep.errors and not manager.errors


async def test_card_scan_is_reviewed_and_saved(org: Any, servers: Any, browser: Any) -> None:
    from ocr.corpus import generate_corpus

    image, truth = generate_corpus(1, seed=7)[0]
    existing = await org.post("rep_east1", "/api/v1/customers", {"name": truth["company"]})
    assert existing.status_code == 201, existing.text
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/card")
    await rep.set_input_files("input[name=image]", files=[{"name": "card.jpg", "mimeType": "image/jpeg", "buffer": image}])
    review = rep.locator(".card-review")
    await expect(review).to_be_visible(timeout=60_000)  # Tesseract reads the card
    assert "/app/card/" in rep.url
    # The parsed fields, each with its confidence, and the duplicate warning.
    await expect(rep.locator("#f-name")).not_to_have_value("")
    await expect(rep.locator("[data-confidence-of=name]")).to_contain_text("%")
    await expect(review.locator(".dup", has_text=truth["company"])).to_be_visible()
    # Fields read with a confidence below 0.8 are highlighted for review, the others are not.
    card_id = rep.url.rstrip("/").rsplit("/", 1)[-1]
    read = (await org.get("rep_east1", f"/api/v1/cards/{card_id}")).json()
    assert read["confidence"], read
    for field, confidence in read["confidence"].items():
        flagged = "yes" if confidence < 0.8 else "no"
        await expect(rep.locator(f".conf-field:has(#f-{field})")).to_have_attribute("data-needs-review", flagged)
    # The rep corrects what the camera got wrong and attaches it to the existing customer.
    await rep.fill("#f-name", truth["name"])
    await rep.fill("#f-title", truth["title"])
    await rep.select_option("#f-customer", str(existing.json()["id"]))
    await rep.click(".card-review button[type=submit]")
    await expect(rep.locator(".customer h2")).to_have_text(truth["company"])
    assert rep.url.endswith(f"/app/customer/{existing.json()['id']}")
    await expect(rep.locator(".list li", has_text=truth["name"])).to_contain_text(truth["title"])
    contacts = (await org.get("rep_east1", f"/api/v1/contacts?customer_id={existing.json()['id']}")).json()["items"]
    assert [(c["name"], c["source"]) for c in contacts] == [(truth["name"], "card")]
    assert not rep.errors


async def test_checkin_appears_on_the_managers_map(org: Any, servers: Any, browser: Any) -> None:
    customer = await org.post("rep_east1", "/api/v1/customers", {
        "name": "上海瑞丽服装有限公司", "lat": HERE["latitude"] + 0.001, "lng": HERE["longitude"]})
    assert customer.status_code == 201, customer.text
    manager = await open_app(browser, servers.manager, "manager_east", path="/app/team", desktop=True)
    # The tile server of the tests answers nothing: the plain map shows instead.
    await expect(manager.locator(".map-fallback")).to_be_visible()
    await expect(manager.locator(".team-map .list li")).to_have_count(0)

    rep = await open_app(browser, servers.rep, "rep_east1", path=f"/app/visit?customer_id={customer.json()['id']}")
    await expect(rep.locator("#f-customer_id")).to_have_value(str(customer.json()["id"]))
    await rep.fill("#f-note", "送样品")
    await rep.click("button.checkin")
    result = rep.locator(".checkin-result")
    await expect(result).to_contain_text("距离 111 米")
    await expect(result.locator(".chip.ok")).to_be_visible()

    point = manager.locator(".team-map .list li", has_text="张伟 · 上海瑞丽服装有限公司")
    await expect(point).to_have_count(1)  # live, without a reload
    await expect(manager.locator(".team-map svg .dot")).to_have_count(1)
    await rep.click("button.checkout")
    await expect(rep.locator(".checked-out")).to_be_visible()
    assert not rep.errors and not manager.errors


async def test_new_customer_shows_the_duplicate_answer_before_saving_and_field_errors(org: Any, servers: Any, browser: Any) -> None:
    taken = await org.post("rep_east2", "/api/v1/customers", {"name": "上海瑞丽服装有限公司", "phone": "021-6234 5678"})
    assert taken.status_code == 201, taken.text
    rep = await open_app(browser, servers.rep, "rep_east1", path="/app/customers/new")
    await rep.fill("#f-name", "瑞丽服装厂")
    warning = rep.locator(".duplicates .dup")
    await expect(warning).to_contain_text("上海瑞丽服装有限公司")
    await expect(warning).to_contain_text("李娜")
    await rep.fill("#f-name", "华南物流")
    await expect(rep.locator(".no-dup")).to_be_visible()
    await rep.fill("#f-level", "A" * 21)  # the server allows 20 characters
    await rep.click("button[type=submit]")
    error = rep.locator(".field-error[data-field=level]")
    await expect(error).to_be_visible()
    await expect(rep.locator("#f-level")).to_have_attribute("aria-invalid", "true")
    assert "/customers/new" in rep.url
    await rep.fill("#f-level", "A")
    await rep.click("button[type=submit]")
    await expect(rep.locator(".customer h2")).to_have_text("华南物流")
    assert not rep.errors
