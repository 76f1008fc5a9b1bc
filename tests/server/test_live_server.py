"""A real server process serves the API and stops cleanly."""

from __future__ import annotations


from tests.support.live import LiveServer, live_client


async def test_live_server_serves_login_and_openapi(org, test_env):
    server = LiveServer(test_env)
    await server.start()
    try:
        async with live_client(base_url=server.url) as client:
            document = (await client.get("/api/v1/openapi.json")).json()
            assert document["openapi"].startswith("3.")
            me = await client.get("/api/v1/me", headers=org.headers("rep_east1"))
            assert me.status_code == 200, me.text
            assert me.json()["login"] == "rep_east1"
    finally:
        await server.stop()
    assert server.process.returncode is not None
