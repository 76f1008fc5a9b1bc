"""`make screenshots`: PNGs of the main screens at phone and desktop size in
docs/screenshots/, taken from a fresh demo organisation in a real server.

    .venv/bin/python -m tests.web.screenshots
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from tests.support.live import LiveServer, live_client
from tests.web.conftest import ARGS, CHROMIUM, DESKTOP, HERE, PHONE

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "fieldline-demo"
REP, MANAGER = "zhang.wei", "wang.jl"


def _fieldline(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "fieldline.cli", *args], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, check=True,
                   stdout=subprocess.DEVNULL)


async def _today_visit(server: LiveServer) -> None:
    """A check-in now, so that today's team map has a point whatever the hour."""
    async with live_client(base_url=server.url) as c:
        login = (await c.post("/api/v1/auth/login", json={"login": REP, "password": PASSWORD})).json()
        auth = {"Authorization": "Bearer " + login["access_token"]}
        customer = (await c.get("/api/v1/customers", params={"scope": "mine"}, headers=auth)).json()["items"][0]
        await c.post("/api/v1/checkins", headers=auth, json={
            "customer_id": customer["id"], "lat": customer["lat"] or HERE["latitude"], "lng": customer["lng"] or HERE["longitude"],
            "accuracy_m": 15, "captured_at": _now()})
        await c.post("/api/v1/posts", headers=auth, json={"body": "今天拜访了两家客户，样品明天寄出 @王经理"})


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).isoformat()


async def _shoot(page: object, name: str) -> None:
    png = await page.screenshot()  # type: ignore[attr-defined]
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(OUT / f"{name}.png", optimize=True)
    print("wrote", (OUT / f"{name}.png").relative_to(ROOT))


async def _signed_in(browser: object, server: LiveServer, login: str, viewport: dict[str, int]) -> object:
    context = await browser.new_context(viewport=viewport, geolocation=HERE, permissions=["geolocation"],  # type: ignore[attr-defined]
                                        locale="zh-CN", timezone_id="Asia/Shanghai")
    page = await context.new_page()
    await page.goto(server.url + "/app")
    await page.fill("#f-login", login)
    await page.fill("#f-password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_selector(".conn.online")
    return page


async def main() -> None:
    from playwright.async_api import async_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"DATABASE_URL": f"sqlite://{tmp}/demo.db", "FIELDLINE_UPLOAD_DIR": f"{tmp}/uploads",
               "FIELDLINE_OUTBOX_DIR": f"{tmp}/outbox", "FIELDLINE_OCR_WORKERS": "1",
               "FIELDLINE_MAP_TILE_URL": ""}  # no network here: the plain map
        _fieldline(env, "migrate")
        _fieldline(env, "demo")
        server = LiveServer(env)
        await server.start()
        try:
            await _today_visit(server)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                login_page = await (await browser.new_context(viewport=PHONE)).new_page()
                await login_page.goto(server.url + "/app")
                await login_page.wait_for_selector("#f-login")
                await _shoot(login_page, "phone-login")
                rep = await _signed_in(browser, server, REP, PHONE)
                for path, name in [("/app/feed", "phone-feed"), ("/app/customers", "phone-customers"),
                                   ("/app/visit", "phone-visit"), ("/app/tasks", "phone-tasks"), ("/app/report", "phone-report")]:
                    await rep.goto(server.url + path)
                    await rep.wait_for_selector(".conn.online")
                    await rep.wait_for_timeout(600)
                    await _shoot(rep, name)
                await rep.goto(server.url + "/app/customers")
                await rep.locator(".customers a").first.click()
                await rep.wait_for_selector(".customer h2")
                await rep.wait_for_timeout(600)
                await _shoot(rep, "phone-customer")
                manager = await _signed_in(browser, server, MANAGER, DESKTOP)
                for path, name in [("/app/team", "desktop-team"), ("/app/feed", "desktop-feed")]:
                    await manager.goto(server.url + path)
                    await manager.wait_for_selector(".conn.online")
                    await manager.wait_for_timeout(900)
                    await _shoot(manager, name)
                await rep.goto(server.url + "/app/chat/new")
                await rep.locator("li", has_text="王经理").locator("button.direct").click()
                await rep.fill("input[name=message]", "王经理，瑞丽的报价单已经发过去了")
                await rep.press("input[name=message]", "Enter")
                await manager.goto(server.url + "/app/chat")
                await manager.locator(".conversation-row").first.click()
                await manager.fill("input[name=message]", "好的，明天一起过去")
                await manager.press("input[name=message]", "Enter")
                await rep.wait_for_selector(".message:not(.mine)")
                await _shoot(rep, "phone-chat")
                await _shoot(manager, "desktop-chat")
                await browser.close()
        finally:
            await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
