"""Simultaneous creates of the same company make one customer: every other create
is answered 409 `duplicate` naming the one that was made (API.md), in one process
and across two server processes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support.live import LiveServer, live_client

ROUNDS = 3
CREATES = 8


def _check(answers: list[httpx.Response], matched_on: str | None = None) -> None:
    """One 201; every other answer is 409 `duplicate` naming it (`matched_on` its field)."""
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (len(answers) - 1), [a.text[:200] for a in answers]
    made = next(a.json() for a in answers if a.status_code == 201)
    matched_on = matched_on or ("phone" if made["phone"] else "fax")
    for answer in answers:
        if answer.status_code == 409:
            error = answer.json()["error"]
            assert error["code"] == "duplicate"
            assert [(d["id"], matched_on in d["matched_on"]) for d in error["details"]["duplicates"]] == [
                (made["id"], True)
            ]


async def _count(org: Any, name: str) -> int:
    found = (await org.get("admin", "/api/v1/customers/duplicates", params={"name": name})).json()
    return len(found["duplicates"])


async def test_same_name_created_at_once_is_made_once(org) -> None:
    reps = ("rep_sh", "rep_east1", "rep_east2", "rep_west")
    for number in range(ROUNDS):
        # The same company written differently: one name key (docs/duplicates.md).
        names = [f"上海瑞丽{number}服装有限公司", f"瑞丽{number}服装厂", f"瑞丽{number}服装（上海）有限公司"]
        answers = await asyncio.gather(*(
            org.post(reps[n % len(reps)], "/api/v1/customers", {"name": names[n % len(names)]})
            for n in range(CREATES)
        ))
        _check(list(answers), "name")
        assert await _count(org, names[0]) == 1


async def test_same_phone_created_at_once_is_made_once(org) -> None:
    for number in range(ROUNDS):
        phones = [f"021-5888 12{number}4", f"+86 21 5888 12{number}4"]
        answers = await asyncio.gather(*(
            # Different names, one switchboard: given as phone or as fax.
            org.post("rep_sh", "/api/v1/customers",
                     {"name": f"号码{number}公司{n}号", ("phone" if n % 2 else "fax"): phones[n % 2]})
            for n in range(CREATES)
        ))
        _check(list(answers))


async def test_an_edit_racing_a_create_does_not_make_a_twin(org) -> None:
    for number in range(ROUNDS):
        existing = (await org.post("rep_east1", "/api/v1/customers", {"name": f"旧名{number}商贸"})).json()
        target = f"新名{number}商贸"
        answers = await asyncio.gather(
            org.patch("rep_east1", f"/api/v1/customers/{existing['id']}", {"name": target}),
            *(org.post("rep_sh", "/api/v1/customers", {"name": target}) for _ in range(CREATES - 1)),
        )
        assert sum(a.status_code in (200, 201) for a in answers) == 1, [a.text[:200] for a in answers]
        assert await _count(org, target) == 1


async def test_same_company_across_two_processes_is_made_once(org, test_env) -> None:
    servers = [LiveServer(test_env), LiveServer(test_env)]
    await asyncio.gather(*(server.start() for server in servers))
    try:
        async with live_client(timeout=60) as client:
            for number in range(ROUNDS):
                name = f"进程{number}瑞丽服装有限公司"
                answers = await asyncio.gather(*(
                    client.post(f"{servers[n % 2].url}/api/v1/customers", json={"name": name},
                                headers=org.headers(("rep_sh", "rep_west")[n % 2]))
                    for n in range(CREATES)
                ))
                _check(list(answers), "name")
                assert await _count(org, name) == 1
    finally:
        await asyncio.gather(*(server.stop() for server in servers))
