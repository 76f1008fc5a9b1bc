"""Two approvers deciding one step at once, and a decision racing a withdrawal: one wins, the other 409."""

from __future__ import annotations

import asyncio

from server.models.approvals import ApprovalEntry
from tests.support.approvals import decide, make_template, submit

ROUNDS = 5


async def _two_admins(org) -> None:
    await org.add_user("admin2", "admin", "hq", name="Ada Two")
    await make_template(org, steps=[{"type": "role", "role": "admin"}])


async def test_two_approvers_deciding_one_step_at_once_one_wins(org, event_log) -> None:
    await _two_admins(org)
    for _ in range(ROUNDS):
        request = await submit(org)
        first, second = await asyncio.gather(decide(org, "admin", request["id"]),
                                              decide(org, "admin2", request["id"], "reject"))
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [200, 409], (first.text, second.text)
        loser = first if first.status_code == 409 else second
        assert loser.json()["error"]["code"] == "already_decided"
        decisions = await ApprovalEntry.filter(request_id=request["id"], action__in=("approved", "rejected")).count()
        assert decisions == 1
    updates = [e for e in await event_log(org.rep_sh.id) if e["type"] == "approval.updated"]
    assert len(updates) == 2 * ROUNDS  # submitted + exactly one decision each


async def test_a_decision_and_a_withdrawal_racing_one_wins(org) -> None:
    await _two_admins(org)
    for _ in range(ROUNDS):
        request = await submit(org)
        decision, withdrawal = await asyncio.gather(
            decide(org, "admin", request["id"]), org.post("rep_sh", f"/api/v1/approvals/{request['id']}/withdraw"))
        assert sorted([decision.status_code, withdrawal.status_code]) == [200, 409], (decision.text, withdrawal.text)
        final = (await org.get("rep_sh", f"/api/v1/approvals/{request['id']}")).json()
        winner = decision if decision.status_code == 200 else withdrawal
        assert final["status"] == winner.json()["status"] in ("approved", "withdrawn")
        assert (await org.get("admin", "/api/v1/approvals/counts")).json()["waiting"] == 0


async def test_a_decision_for_a_step_already_passed_is_409(org) -> None:
    await make_template(org)
    request = await submit(org, amount=150000)
    await decide(org, "manager_east", request["id"])
    stale = await decide(org, "admin", request["id"], step=0)
    assert (stale.status_code, stale.json()["error"]["details"]["current_step"]) == (409, 1)
    stale_version = await org.post("admin", f"/api/v1/approvals/{request['id']}/approve", {},
                                   headers={"If-Match": str(request["version"])})
    assert stale_version.json()["error"]["code"] == "stale_version"
