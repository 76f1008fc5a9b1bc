"""The feed in a real browser: a rep posts with an @-mention picked from the
autocomplete, and the manager's open page shows it live, without a reload."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.web.conftest import open_app


async def test_mention_shows_live_on_the_managers_open_page(org: Any, servers: Any, browser: Any) -> None:
    manager = await open_app(browser, servers.manager, "manager_east", desktop=True)
    rep = await open_app(browser, servers.rep, "rep_east1")
    await expect(manager.locator(".feed")).to_be_visible()
    manager_loads = []
    manager.on("framenavigated", lambda frame: manager_loads.append(frame.url))

    box = rep.locator(".composer textarea")
    await box.click()
    await box.press_sequentially("明天拜访客户，请 @王")
    option = rep.locator(".mentions li", has_text="王经理")
    await expect(option).to_be_visible()
    await option.click()
    await box.press_sequentially("一起去")
    await expect(box).to_have_value("明天拜访客户，请 @王经理 一起去")
    await rep.click(".composer button[type=submit]")

    item = manager.locator(".feed-item", has_text="明天拜访客户，请 @王经理 一起去")
    await expect(item).to_be_visible()
    await expect(item).to_have_count(1)
    await expect(item.locator("b").first).to_have_text("张伟")
    await expect(manager.get_by_test_id("inbox-badge")).to_have_text("1")
    assert manager_loads == []  # it came over the socket, not a reload
    # The rep's own page shows the post once, though it came back over the socket too.
    await expect(rep.locator(".feed-item", has_text="一起去")).to_have_count(1)
    assert not rep.errors and not manager.errors


async def test_a_colleague_downloads_a_posts_file_under_its_own_name(org: Any, servers: Any, browser: Any) -> None:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    made = await org.post("rep_east1", "/api/v1/files", files={"file": ("报价单.pdf", pdf, "application/pdf")})
    assert made.status_code == 201, made.text
    posted = await org.post("rep_east1", "/api/v1/posts",
                            {"body": "新报价", "attachments": [{"type": "file", "id": made.json()["id"]}]})
    assert posted.status_code == 201, posted.text
    page = await open_app(browser, servers.manager, "manager_east", desktop=True)
    chip = page.locator(f".chip.file[data-file-id='{made.json()['id']}']")
    await expect(chip).to_contain_text("报价单.pdf")
    async with page.expect_download() as waiting:
        await chip.click()
    download = await waiting.value
    assert download.suggested_filename == "报价单.pdf"
    saved = await download.path()
    with open(saved, "rb") as file:
        assert file.read() == pdf
    assert page.errors == []
