"""`/healthz`, `/readyz`, `/metrics`, request ids and 5xx bodies, in-process on every backend."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.requests import Request
from starlette.routing import Route
from tortoise import connections

from mobile_api.middleware.proxies import TrustedProxies


async def test_healthz_answers_while_the_process_runs(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def record_migrations_applied() -> None:
    """The test databases are made from the models (tests/support/databases.py);
    record every migration as `fieldline migrate` would have."""
    from server.health import _migration_files

    connection = connections.get("default")
    key = "SERIAL" if connection.capabilities.dialect == "postgres" else "INTEGER"
    await connection.execute_script(
        f"CREATE TABLE IF NOT EXISTS tortoise_migrations (id {key} PRIMARY KEY, app VARCHAR(255) NOT NULL, "
        "name VARCHAR(255) NOT NULL, applied_at TIMESTAMP NOT NULL)")
    await connection.execute_query("DELETE FROM tortoise_migrations")
    for name in sorted(_migration_files()):
        await connection.execute_query(
            "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES ('models', $1, CURRENT_TIMESTAMP)"
            if key == "SERIAL" else
            "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES ('models', ?, CURRENT_TIMESTAMP)", [name])


async def test_readyz_is_ready_when_database_migrations_redis_and_ocr_answer(client: httpx.AsyncClient) -> None:
    await record_migrations_applied()
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}


async def test_readyz_names_a_migration_not_applied_with_503(client: httpx.AsyncClient) -> None:
    await record_migrations_applied()
    await connections.get("default").execute_query(
        "DELETE FROM tortoise_migrations WHERE name = (SELECT MAX(name) FROM tortoise_migrations)")
    response = await client.get("/readyz")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "unavailable"
    assert list(error["details"]["down"]) == ["migrations"]
    assert "fieldline migrate" in error["details"]["down"]["migrations"]
    assert error["details"]["request_id"] == response.headers["X-Request-ID"]


async def test_readyz_names_the_card_reader_when_its_pool_is_down(app: Any, client: httpx.AsyncClient) -> None:
    await record_migrations_applied()
    await app.state.card_pool.close()
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert list(response.json()["error"]["details"]["down"]) == ["ocr"]


async def test_metrics_from_an_allowed_address_in_prometheus_text(org: Any, client: httpx.AsyncClient) -> None:
    await org.get("rep_sh", "/api/v1/customers")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'fieldline_http_requests_total{method="GET",route="/api/v1/customers",status="200"}' in text
    assert "fieldline_http_request_duration_seconds_bucket" in text
    for name in ("fieldline_open_sockets", "fieldline_email_outbox_depth", "fieldline_push_outbox_depth",
                 "fieldline_card_queue_depth",
                 "fieldline_events_published_total", "fieldline_reminder_lateness_seconds"):
        assert name in text


async def test_metrics_refused_outside_the_allow_list_unless_the_token_is_sent(settings: Any) -> None:
    from fieldline.app import create_app

    app = create_app(settings.replace(metrics_allow=("10.0.0.0/8",), metrics_token="scrape-me-please"))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            refused = await client.get("/metrics")
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            allowed = await client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert wrong.status_code == 403
    assert allowed.status_code == 200


async def test_every_answer_carries_a_new_request_id(client: httpx.AsyncClient) -> None:
    answers = [await client.get(path) for path in ("/healthz", "/api/v1/me", "/no/such/path")]
    ids = [answer.headers["X-Request-ID"] for answer in answers]
    assert all(ids) and len(set(ids)) == 3
    sent = await client.get("/healthz", headers={"X-Request-ID": "from-the-client"})
    assert sent.headers["X-Request-ID"] != "from-the-client"  # not a trusted proxy


async def test_a_trusted_proxy_request_id_is_kept_and_a_malformed_one_replaced(app: Any) -> None:
    wrapped = TrustedProxies(app, ["127.0.0.1"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://t") as client:
        kept = await client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a", "X-Forwarded-For": "203.0.113.9"})
        bad = await client.get("/healthz", headers={"X-Request-ID": "two words\"", "X-Forwarded-For": "203.0.113.9"})
    assert kept.headers["X-Request-ID"] == "nginx-4f2a"
    assert bad.headers["X-Request-ID"] not in ("two words\"", "")


async def test_a_5xx_body_repeats_the_request_id(app: Any) -> None:
    async def boom(request: Request) -> None:
        raise RuntimeError("a bug")

    app.router.routes.append(Route("/test-boom", boom))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/test-boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal"
    assert error["details"]["request_id"] == response.headers["X-Request-ID"]


async def test_cors_answers_only_the_listed_console_origin(settings: Any) -> None:
    from fieldline.app import create_app

    app = create_app(settings.replace(cors_origins=("https://console.example.test",)), run_services=False)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
            listed = await client.options("/api/v1/auth/login", headers={"Origin": "https://console.example.test", **preflight})
            other = await client.options("/api/v1/auth/login", headers={"Origin": "https://evil.example.test", **preflight})
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == "https://console.example.test"
    assert "access-control-allow-origin" not in other.headers
