"""Issue 17's journey through the API: a rep submits an expense with two receipts and a contract over the
threshold; the direct manager, then the director, approve in order; the contract is locked meanwhile; payments
are recorded and show on the leaderboard and in the funnel; the time each step waited is reported."""

from __future__ import annotations

from tests.support.approvals import TWO_LEVELS, decide, make_contract, make_template, upload_receipt


async def test_expense_and_contract_through_two_levels_to_the_leaderboard(org) -> None:
    director = await org.add_user("director", "manager", "hq", manages=["hq"], name="赵总监")
    await make_template(org, "contract", TWO_LEVELS)
    await make_template(org, "expense", [{"type": "direct_manager"}])
    receipts = [await upload_receipt(org), await upload_receipt(org)]
    lines = [{"spent_on": "2026-12-01", "category": "travel", "amount": 300, "receipt_ids": receipts[:1]},
             {"spent_on": "2026-12-01", "category": "meals", "amount": 120, "receipt_ids": receipts[1:]}]
    claim = (await org.post("rep_sh", "/api/v1/expenses", {"title": "拜访出差", "lines": lines})).json()
    expense_request = (await org.post("rep_sh", f"/api/v1/expenses/{claim['id']}/submit", {})).json()
    contract = await make_contract(org, amount=250000)
    request = (await org.post("rep_sh", f"/api/v1/contracts/{contract['id']}/submit", {})).json()
    assert [s["approver_ids"] for s in request["steps"]] == [[org.manager_east.id], [director.id]]

    inbox = (await org.get("manager_east", "/api/v1/approvals/inbox")).json()["items"]
    assert [r["id"] for r in inbox] == [expense_request["id"], request["id"]]
    assert (await decide(org, "director", request["id"])).status_code == 403  # not their turn yet
    assert (await decide(org, "manager_east", expense_request["id"])).json()["status"] == "approved"
    assert (await decide(org, "manager_east", request["id"])).json()["current_step"] == 1
    locked = await org.patch("rep_sh", f"/api/v1/contracts/{contract['id']}", {"amount": 1})
    assert (locked.status_code, locked.json()["error"]["details"]["request_id"]) == (409, request["id"])
    assert (await org.get("rep_west", f"/api/v1/photos/{receipts[0]}")).status_code == 404
    assert (await decide(org, "director", request["id"])).json()["status"] == "approved"

    path = f"/api/v1/contracts/{contract['id']}"
    assert (await org.get("rep_sh", path)).json()["status"] == "active"
    today = (await org.get("rep_sh", "/api/v1/stats/leaderboard")).json()["to"]
    for amount in (100000, 50000):
        paid = await org.post("rep_sh", f"{path}/payments", {"paid_on": today, "amount": amount})
        assert paid.status_code == 201, paid.text
    board = (await org.get("manager_east", "/api/v1/stats/leaderboard")).json()["items"]
    mine = next(row for row in board if row["user_id"] == org.rep_sh.id)
    assert (mine["contract_amount"], mine["collected_amount"]) == (250000.0, 150000.0)
    funnel = (await org.get("manager_east", "/api/v1/stats/funnel?scope=team")).json()
    assert (funnel["contracts"], funnel["collected"], funnel["outstanding"]) == \
        ({"count": 1, "amount": 250000.0}, 150000.0, 100000.0)
    times = (await org.get("admin", "/api/v1/stats/approvals?kind=contract")).json()["items"]
    assert [(t["step"], t["decisions"]) for t in times] == [(0, 1), (1, 1)]
    assert all(t["avg_seconds"] >= 0 for t in times)
    assert (await org.get("rep_west", "/api/v1/stats/approvals")).json()["items"] == []
    assert (await org.get("rep_west", "/api/v1/stats/funnel?scope=all")).json()["contracts"]["count"] == 0
