"""`GET /metrics` under `serve --workers 2` (PostgreSQL + Redis): whichever
worker answers, the counts are every worker's together."""

from __future__ import annotations

import re
from typing import Any

import psutil
import pytest

from tests.support.live import LiveServer, live_client

REQUESTS = 30


def _healthz_count(text: str) -> float:
    match = re.search(r'^fieldline_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)$', text, re.M)
    return float(match.group(1)) if match else 0.0


async def test_metrics_add_up_every_worker(org: Any, test_env: dict[str, str], backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL and Redis")
    server = LiveServer(test_env, workers=2)
    await server.start()
    try:
        assert len(psutil.Process(server.process.pid).children(recursive=True)) >= 2
        async with live_client(base_url=server.url) as client:
            before = _healthz_count((await client.get("/metrics")).text)  # the start-up probes
        for _ in range(REQUESTS):  # a new connection each time: the kernel spreads them over the workers
            async with live_client(base_url=server.url) as client:
                response = await client.get("/healthz")
                assert response.status_code == 200
        texts = []
        for _ in range(4):
            async with live_client(base_url=server.url) as client:
                response = await client.get("/metrics")
                assert response.status_code == 200
                texts.append(response.text)
        # Every scrape sees all REQUESTS, whichever worker served them and whichever answers.
        counts = [_healthz_count(text) - before for text in texts]
        assert counts == [REQUESTS] * len(texts), counts
        async with live_client(base_url=server.url) as client:
            ready = await client.get("/readyz")
        assert ready.status_code == 503  # the test database was made from the models, not migrated
        assert "migrations" in ready.json()["error"]["details"]["down"]
    finally:
        await server.stop()
