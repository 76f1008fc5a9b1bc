"""Contracts: drafts, the lock while under review, approval, payment plans and payments (回款), reminders."""

from __future__ import annotations

import datetime as dt

from server.actions.payments import remind_overdue_payments
from tests.support.approvals import TWO_LEVELS, approve_all, decide, make_contract, make_template, upload_receipt


async def _active_contract(org, amount: float = 200000) -> dict:
    await make_template(org, "contract", TWO_LEVELS)
    contract = await make_contract(org, amount=amount)
    request = (await org.post("rep_sh", f"/api/v1/contracts/{contract['id']}/submit", {})).json()
    await approve_all(org, request)
    return (await org.get("rep_sh", f"/api/v1/contracts/{contract['id']}")).json()


async def test_a_draft_gets_a_number_and_its_amounts(org) -> None:
    contract = await make_contract(org, amount=88000.5, signed_on="2026-11-30")
    assert contract["number"].startswith("HT") and contract["status"] == "draft"
    assert (contract["collected"], contract["outstanding"], contract["signed_on"]) == (0.0, 88000.5, "2026-11-30")
    taken = await org.post("rep_sh", "/api/v1/contracts", {"customer_id": contract["customer_id"], "name": "x",
                                                          "amount": 1, "number": contract["number"]})
    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "duplicate")


async def test_under_review_the_contract_is_locked_and_edits_name_the_request(org) -> None:
    await make_template(org, "contract", TWO_LEVELS)
    contract = await make_contract(org)
    path = f"/api/v1/contracts/{contract['id']}"
    submitted = await org.post("rep_sh", f"{path}/submit", {})
    assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    assert (request["kind"], request["amount"], request["subject"]) == \
        ("contract", 200000.0, {"type": "contract", "id": contract["id"]})
    locked = await org.get("rep_sh", path)
    assert (locked.json()["status"], locked.json()["review_request_id"]) == ("reviewing", request["id"])
    for response in (await org.patch("rep_sh", path, {"amount": 1}), await org.delete("rep_sh", path),
                     await org.patch("manager_east", path, {"notes": "x"})):
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "under_review"
        assert response.json()["error"]["details"]["request_id"] == request["id"]
    again = await org.post("rep_sh", f"{path}/submit", {})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "under_review")
    # The director who decides step 2 reads the contract (the admin sees everything anyway;
    # a forwarded approver outside the team is the real case, below).
    await decide(org, "manager_east", request["id"], "return", reason="补充付款条件")
    assert (await org.get("rep_sh", path)).json()["status"] == "draft"
    assert (await org.patch("rep_sh", path, {"amount": 210000})).status_code == 200


async def test_approval_makes_it_active_and_only_its_end_changes_then(org) -> None:
    contract = await _active_contract(org)
    assert (contract["status"], contract["review_request_id"]) == ("active", None)
    path = f"/api/v1/contracts/{contract['id']}"
    terms = await org.patch("rep_sh", path, {"amount": 1})
    assert terms.status_code == 409
    assert (await org.patch("rep_sh", path, {"notes": "原件已归档"})).status_code == 200
    assert (await org.delete("rep_sh", path)).status_code == 409
    assert (await org.patch("rep_sh", path, {"status": "completed"})).json()["status"] == "completed"


async def test_payments_count_towards_collected_and_outstanding(org) -> None:
    contract = await _active_contract(org, amount=100000)
    path = f"/api/v1/contracts/{contract['id']}"
    plan = (await org.post("rep_sh", f"{path}/payment-plans", {"due_on": "2026-12-31", "amount": 60000})).json()
    paid = await org.post("rep_sh", f"{path}/payments", {"paid_on": "2026-12-01", "amount": 60000, "plan_id": plan["id"]})
    assert paid.status_code == 201, paid.text
    await org.post("rep_sh", f"{path}/payments", {"paid_on": "2026-12-02", "amount": 10000})
    body = (await org.get("rep_sh", path)).json()
    assert (body["collected"], body["outstanding"]) == (70000.0, 30000.0)
    plans = (await org.get("rep_sh", f"{path}/payment-plans")).json()["items"]
    assert (plans[0]["collected"], plans[0]["settled"]) == (60000.0, True)
    too_much = await org.post("rep_sh", f"{path}/payments", {"paid_on": "2026-12-03", "amount": 30000.01})
    assert (too_much.status_code, list(too_much.json()["error"]["details"]["fields"])) == (422, ["amount"])
    await org.delete("rep_sh", f"/api/v1/payments/{paid.json()['id']}")
    assert (await org.get("rep_sh", path)).json()["collected"] == 10000.0
    assert (await org.get("rep_sh", f"{path}/payment-plans")).json()["items"][0]["settled"] is False


async def test_payments_only_on_approved_contracts(org) -> None:
    draft = await make_contract(org)
    refused = await org.post("rep_sh", f"/api/v1/contracts/{draft['id']}/payments", {"paid_on": "2026-12-01", "amount": 1})
    assert refused.status_code == 409


async def test_an_overdue_plan_reminds_the_owner_once(org) -> None:
    contract = await _active_contract(org, amount=100000)
    path = f"/api/v1/contracts/{contract['id']}/payment-plans"
    await org.post("rep_sh", path, {"due_on": "2026-11-01", "amount": 50000})
    await org.post("rep_sh", path, {"due_on": "2099-11-01", "amount": 50000})
    assert await remind_overdue_payments(dt.date(2026, 12, 4)) == 1
    assert await remind_overdue_payments(dt.date(2026, 12, 4)) == 0
    notes = (await org.get("rep_sh", "/api/v1/notifications?kind=reminder")).json()["items"]
    assert [n["link"] for n in notes] == [{"type": "contract", "id": contract["id"]}]


async def test_a_won_opportunity_makes_the_contract_draft(org) -> None:
    from tests.support.customers import make_customer

    customer = await make_customer(org, "rep_sh", "浦江机械")
    opportunity = (await org.post("rep_sh", "/api/v1/opportunities",
                                  {"customer_id": customer["id"], "name": "二期", "amount": 320000})).json()
    path = f"/api/v1/opportunities/{opportunity['id']}/contract"
    assert (await org.post("rep_sh", path)).status_code == 409
    await org.patch("rep_sh", f"/api/v1/opportunities/{opportunity['id']}", {"status": "won"})
    draft = await org.post("rep_sh", path)
    assert draft.status_code == 201, draft.text
    assert (draft.json()["opportunity_id"], draft.json()["amount"], draft.json()["status"]) == \
        (opportunity["id"], 320000.0, "draft")


async def test_visibility_follows_the_customer_and_the_owner(org) -> None:
    contract = await make_contract(org)
    path = f"/api/v1/contracts/{contract['id']}"
    for who, status in (("rep_sh", 200), ("manager_east", 200), ("admin", 200), ("rep_west", 404),
                        ("manager_west", 404), ("rep_east1", 404)):
        assert (await org.get(who, path)).status_code == status, who
    assert (await org.patch("rep_west", path, {"notes": "x"})).status_code == 404
    listed = (await org.get("rep_west", "/api/v1/contracts")).json()["items"]
    assert listed == []


async def test_files_are_photos_the_contract_viewers_may_see(org) -> None:
    scan = await upload_receipt(org, "rep_sh")
    contract = await make_contract(org, file_ids=[scan])
    assert contract["file_ids"] == [scan]
    assert (await org.get("manager_east", f"/api/v1/photos/{scan}")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/photos/{scan}")).status_code == 404
    foreign = await upload_receipt(org, "rep_west")
    refused = await org.patch("rep_sh", f"/api/v1/contracts/{contract['id']}", {"file_ids": [foreign]})
    assert refused.status_code == 422


async def test_a_forwarded_approver_outside_the_team_reads_the_contract(org) -> None:
    await make_template(org, "contract", [{"type": "direct_manager"}], allow_forward=True)
    contract = await make_contract(org)
    request = (await org.post("rep_sh", f"/api/v1/contracts/{contract['id']}/submit", {})).json()
    assert (await org.get("manager_west", f"/api/v1/contracts/{contract['id']}")).status_code == 404
    await org.post("manager_east", f"/api/v1/approvals/{request['id']}/forward", {"user_id": org.manager_west.id})
    assert (await org.get("manager_west", f"/api/v1/contracts/{contract['id']}")).status_code == 200


async def test_delta_sync_shows_deleted_drafts_as_tombstones(org) -> None:
    contract = await make_contract(org)
    await org.delete("rep_sh", f"/api/v1/contracts/{contract['id']}")
    items = (await org.get("rep_sh", "/api/v1/contracts?updated_since=2000-01-01T00:00:00Z")).json()["items"]
    assert items == [{"id": contract["id"], "deleted": True}]
