"""`/api/v1/docs` in Chromium: Swagger UI from the repository's own files
draws the served OpenAPI document, with nothing fetched from elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.web.conftest import DESKTOP, Servers


async def test_api_docs_render_the_openapi_document_offline(servers: Servers, browser: Any, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("a static page: one backend is enough")
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Swagger UI's own notice about `_` in deep links (our operation ids have them) is no failure.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Deprecated:") else None)

    async def only_the_server(route: Any) -> None:
        if route.request.url.startswith(servers.rep.url):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_the_server)
    # A deep link opens one operation (Swagger UI draws operations as they scroll into view).
    await page.goto(f"{servers.rep.url}/api/v1/docs#/auth/auth_login")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fieldline")
    login = page.locator("#operations-auth-auth_login")
    await expect(login.locator(".opblock-summary-description")).to_have_text("Log in with login and password.")
    await expect(login.locator(".opblock-body")).to_contain_text("wang.jl")  # the request example
    await context.close()
    assert elsewhere == [] and errors == []
