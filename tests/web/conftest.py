"""Browser tests: Debian's Chromium driven by Playwright against real servers.

`servers` is one server process on SQLite, and two processes on PostgreSQL +
Redis (the rep's browser on the first, the manager's on the second), so a
live update crosses processes through Redis. Pages sign in through the app's
own login form.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support.live import LiveServer

CHROMIUM = os.environ.get("FIELDLINE_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
# Where the phone is: near the demo customers of the tests (Shanghai, People's Square).
HERE = {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 20}
WAIT_MS = 15_000  # how long an expectation waits for the page (not a timing claim)


def pytest_configure(config: Any) -> None:
    from playwright.async_api import expect

    expect.set_options(timeout=WAIT_MS)


@dataclass
class Servers:
    rep: LiveServer      # the rep's browser talks to this one
    manager: LiveServer  # and the manager's to this one (another process on PostgreSQL)
    all: list[LiveServer]


@pytest.fixture
async def servers(org: Any, test_env: dict[str, str], backend: str) -> AsyncIterator[Servers]:
    env = {**test_env, "FIELDLINE_MAP_TILE_URL": "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"}
    count = 2 if backend == "postgres" else 1  # SQLite serves one process
    started = [LiveServer(env) for _ in range(count)]
    try:
        await asyncio.gather(*(server.start() for server in started))  # side by side, as in production
        yield Servers(rep=started[0], manager=started[-1], all=started)
    finally:
        await asyncio.gather(*(server.stop() for server in started))


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def open_app(browser: Any, server: LiveServer, login: str, *, path: str = "/app", desktop: bool = False,
                   password: str = PASSWORD) -> Any:
    """A new browser context (its own storage) signed in as `login`, at `path`."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport=DESKTOP if desktop else PHONE, geolocation=HERE,
                                        permissions=["geolocation"], locale="zh-CN", timezone_id="UTC")
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    await page.goto(server.url + path)
    await page.fill("#f-login", login)
    await page.fill("#f-password", password)
    await page.click("button[type=submit]")
    await expect(page.locator(".conn.online")).to_be_visible()
    return page
