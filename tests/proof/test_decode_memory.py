"""A 5 KB upload cannot cost 500 MB: sixteen decompression-bomb-shaped PNGs
(6300 × 6300 pixels, a few KB each, just under the 40-megapixel limit) sent at
once to a real server raise its memory by a bounded amount, and the memory
goes back afterwards.

Before, one such PNG raised the server from 86 MB to 507 MB, four at once to
1.4 GB, and 8–16 at once left 2.1 GB that was never returned.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
import psutil
from PIL import Image
from tests.support.live import live_client

MIB = 1024 * 1024
SIDE = 6300
UPLOADS = 16
# Two decodes at a time (server.decoding.MAX_DECODES), each at most the image
# (119 MB) and one copy of it, with room for the interpreter's own growth.
PEAK_GROWTH_LIMIT = 700 * MIB
# What the server may keep once the burst is over (its caches, the arenas of
# the threads that served the requests).
SETTLED_GROWTH_LIMIT = 150 * MIB


def bomb_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (200, 30, 30)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def rss(pid: int) -> int:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


async def test_sixteen_bomb_shaped_uploads_at_once_keep_memory_bounded_and_give_it_back(org: Any, live: Any) -> None:
    data = await asyncio.to_thread(bomb_png)
    assert len(data) < 256 * 1024  # a small upload claiming 119 MB of pixels
    pid = live.process.pid
    async with live_client(base_url=live.url, timeout=600) as client:
        await client.get("/api/v1/me", headers=org.headers("rep_west"))
        baseline = rss(pid)
        peak = baseline
        done = asyncio.Event()

        async def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss(pid))
                await asyncio.sleep(0.02)

        async def upload(n: int) -> httpx.Response:
            return await client.post("/api/v1/photos", headers=org.headers("rep_west"),
                                     files={"file": (f"bomb{n}.png", data, "image/png")})

        watcher = asyncio.create_task(watch())
        answers = await asyncio.gather(*(upload(n) for n in range(UPLOADS)))
        done.set()
        await watcher
        assert [a.status_code for a in answers] == [201] * UPLOADS, answers[0].text
        assert max(a.json()["width"] for a in answers) <= 4096  # kept at a photo's size
        assert peak - baseline < PEAK_GROWTH_LIMIT, f"peak {peak / MIB:.0f} MiB from {baseline / MIB:.0f} MiB"
        settled = rss(pid)
        for _ in range(100):  # the memory is given back, not merely bounded
            if settled - baseline < SETTLED_GROWTH_LIMIT:
                break
            await asyncio.sleep(0.1)
            settled = rss(pid)
        assert settled - baseline < SETTLED_GROWTH_LIMIT, (
            f"{settled / MIB:.0f} MiB after the burst, {baseline / MIB:.0f} MiB before (peak {peak / MIB:.0f})")
        print(f"\nRSS: baseline {baseline / MIB:.0f} MiB, peak {peak / MIB:.0f} MiB, after {settled / MIB:.0f} MiB")
