"""Two server processes taking decisions on the same step at the same moment: one wins, the other 409."""

from __future__ import annotations

import asyncio


from tests.support.approvals import make_template, submit
from tests.support.live import LiveServer, live_client

ROUNDS = 4


async def test_one_decision_per_step_across_processes(org, test_env) -> None:
    await org.add_user("admin2", "admin", "hq", name="Ada Two")
    await make_template(org, steps=[{"type": "role", "role": "admin"}])
    servers = [LiveServer(test_env), LiveServer(test_env)]
    await asyncio.gather(*(server.start() for server in servers))
    try:
        async with live_client(timeout=60) as client:
            for _ in range(ROUNDS):
                request = await submit(org)
                answers = await asyncio.gather(
                    client.post(f"{servers[0].url}/api/v1/approvals/{request['id']}/approve", json={},
                                headers=org.headers("admin")),
                    client.post(f"{servers[1].url}/api/v1/approvals/{request['id']}/reject", json={"reason": "不行"},
                                headers=org.headers("admin2")),
                    client.post(f"{servers[1].url}/api/v1/approvals/{request['id']}/withdraw",
                                headers=org.headers("rep_sh")),
                )
                statuses = sorted(a.status_code for a in answers)
                assert statuses == [200, 409, 409], [a.text[:200] for a in answers]
                final = (await org.get("rep_sh", f"/api/v1/approvals/{request['id']}")).json()
                assert final["status"] == next(a.json()["status"] for a in answers if a.status_code == 200)
    finally:
        await asyncio.gather(*(server.stop() for server in servers))
