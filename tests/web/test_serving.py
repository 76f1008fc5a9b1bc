"""The app's page, static files and service worker as served by `fieldline serve`."""

from __future__ import annotations

import re
from typing import Any

import httpx


async def test_every_client_path_answers_the_page_which_links_its_manifest(client: httpx.AsyncClient) -> None:
    for path in ("/app", "/app/", "/app/customer/7", "/app/post/3", "/app/settings/notifications"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert '<link rel="manifest" href="/app/manifest.webmanifest">' in response.text
    manifest = (await client.get("/app/manifest.webmanifest")).json()
    assert manifest["start_url"] == "/app" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert (await client.get(icon["src"])).status_code == 200, icon["src"]


async def test_root_redirects_to_the_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307) and response.headers["location"] == "/app"


async def test_static_files_are_versioned_compressed_and_cached_long(client: httpx.AsyncClient) -> None:
    page = (await client.get("/app")).text
    main = re.search(r'src="(/app/static/[0-9a-f]+/app/main\.js)"', page).group(1)
    response = await client.get(main, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/javascript")
    assert "render(" in response.text  # httpx undid the gzip
    plain = await client.get(main, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == response.text
    # An older release's URL still answers the file, but is not cached for long.
    old = await client.get(main.replace(main.split("/")[3], "000000000000"))
    assert old.status_code == 200 and old.headers["cache-control"] == "no-cache"


async def test_unknown_and_escaping_static_paths_are_404(client: httpx.AsyncClient) -> None:
    page = (await client.get("/app")).text
    prefix = re.search(r'content="(/app/static/[0-9a-f]+/)"', page).group(1)
    for path in ("nope.js", "../pyproject.toml", "..%2F..%2Fpyproject.toml", "index.html", "sw.js", ""):
        assert (await client.get(prefix + path)).status_code == 404, path
    assert (await client.get("/app/static/x")).status_code == 404


async def test_service_worker_covers_app_and_caches_this_release(client: httpx.AsyncClient) -> None:
    response = await client.get("/app/sw.js")
    assert response.status_code == 200
    assert response.headers["service-worker-allowed"] == "/app"
    assert response.headers["content-type"].startswith("text/javascript")
    page = (await client.get("/app")).text
    prefix = re.search(r'content="(/app/static/[0-9a-f]+/)"', page).group(1)
    assert prefix in response.text and "{{" not in response.text


async def test_map_tile_url_is_a_setting_given_to_the_page(settings: Any) -> None:
    from fieldline.app import create_app

    app = create_app(settings.replace(map_tile_url="https://tiles.example.test/{z}/{x}/{y}.png?a=1&b=2"),
                     run_services=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        page = (await c.get("/app")).text
    assert 'content="https://tiles.example.test/{z}/{x}/{y}.png?a=1&amp;b=2"' in page


async def test_first_load_is_small(client: httpx.AsyncClient) -> None:
    """The page and what it loads before sign-in, gzip-compressed, stays under 300 KB."""
    total = 0
    page = await client.get("/app", headers={"Accept-Encoding": "gzip"})
    total += _wire_size(page)
    urls = set(re.findall(r'(?:href|src)="(/app/static/[^"]+)"', page.text))
    urls |= set(re.findall(r'"(/app/static/[^"]+\.mjs)"', page.text))
    prefix = re.search(r'content="(/app/static/[0-9a-f]+/)"', page.text).group(1)
    pending = list(urls)
    while pending:  # follow the modules' static imports
        url = pending.pop()
        response = await client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        total += _wire_size(response)
        if url.endswith(".js"):
            base = url.rsplit("/", 1)[0]
            for spec in re.findall(r'^import [^;]*?from "(\.[^"]+)"', response.text, re.M):
                target = _join(base, spec)
                if target not in urls:
                    urls.add(target)
                    pending.append(target)
    assert any(u.startswith(prefix + "app/screens/") for u in urls)
    assert total < 300_000, total


def _wire_size(response: httpx.Response) -> int:
    """Bytes on the wire (compressed when the server compressed)."""
    return int(response.headers["content-length"])


def _join(base: str, spec: str) -> str:
    parts = base.split("/")
    for piece in spec.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)
