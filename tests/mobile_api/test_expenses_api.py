"""Expense claims: lines with receipt photos, totals, approval, the finance export."""

from __future__ import annotations

import csv
import io

from tests.support.approvals import approve_all, make_template, upload_receipt


async def _claim(org, who: str = "rep_sh", receipts: int = 2) -> dict:
    ids = [await upload_receipt(org, who) for _ in range(receipts)]
    lines = [{"spent_on": "2026-12-01", "category": "travel", "amount": 420.5, "receipt_ids": ids[:1]},
             {"spent_on": "2026-12-02", "category": "meals", "amount": 86, "receipt_ids": ids[1:], "note": "客户午餐"}]
    response = await org.post(who, "/api/v1/expenses", {"title": "12月上海出差", "lines": lines})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_claim_totals_its_lines(org) -> None:
    claim = await _claim(org)
    assert (claim["total"], claim["status"], [line["category"] for line in claim["lines"]]) == \
        (506.5, "draft", ["travel", "meals"])
    changed = await org.patch("rep_sh", f"/api/v1/expenses/{claim['id']}",
                              {"lines": [{"spent_on": "2026-12-01", "category": "lodging", "amount": 300}]})
    assert changed.json()["total"] == 300.0


async def test_lines_are_checked(org) -> None:
    foreign = await upload_receipt(org, "rep_west")
    bad = [({"category": "yacht"}, "lines.0.category"), ({"amount": 0}, "lines.0.amount"),
           ({"receipt_ids": [foreign]}, "lines.0.receipt_ids"), ({"spent_on": "2026-13-01"}, "lines.0.spent_on")]
    for change, field in bad:
        line = {"spent_on": "2026-12-01", "category": "travel", "amount": 10, **change}
        response = await org.post("rep_sh", "/api/v1/expenses", {"title": "x", "lines": [line]})
        assert response.status_code == 422, (change, response.text)
        assert field in response.json()["error"]["details"]["fields"], (change, response.text)
    empty = (await org.post("rep_sh", "/api/v1/expenses", {"title": "空"})).json()
    await make_template(org, "expense", [{"type": "direct_manager"}])
    assert (await org.post("rep_sh", f"/api/v1/expenses/{empty['id']}/submit", {})).status_code == 409


async def test_approval_locks_then_approves_and_managers_see_the_receipts(org) -> None:
    await make_template(org, "expense", [{"type": "direct_manager"}])
    claim = await _claim(org)
    path = f"/api/v1/expenses/{claim['id']}"
    request = (await org.post("rep_sh", f"{path}/submit", {})).json()
    assert (request["amount"], request["kind"]) == (506.5, "expense")
    locked = await org.patch("rep_sh", path, {"title": "改"})
    assert (locked.status_code, locked.json()["error"]["details"]["request_id"]) == (409, request["id"])
    receipt = claim["lines"][0]["receipt_ids"][0]
    assert (await org.get("manager_east", f"/api/v1/photos/{receipt}")).status_code == 200
    assert (await org.get("rep_east1", f"/api/v1/photos/{receipt}")).status_code == 404
    await approve_all(org, request)
    body = (await org.get("rep_sh", path)).json()
    assert (body["status"], body["approved_at"] is not None) == ("approved", True)
    assert (await org.patch("rep_sh", path, {"title": "改"})).status_code == 409


async def test_the_finance_export_lists_lines_of_approved_claims_only(org) -> None:
    await make_template(org, "expense", [{"type": "direct_manager"}])
    approved = await _claim(org)
    await _claim(org, receipts=0)  # a draft stays out
    await approve_all(org, (await org.post("rep_sh", f"/api/v1/expenses/{approved['id']}/submit", {})).json())
    response = await org.get("manager_east", "/api/v1/expenses/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["claim_id"], r["category"], r["amount"], r["owner"]) for r in rows] == \
        [(str(approved["id"]), "travel", "420.50", "王芳"), (str(approved["id"]), "meals", "86.00", "王芳")]
    assert list(csv.DictReader(io.StringIO((await org.get("rep_west", "/api/v1/expenses/export.csv")).text))) == []
    later = await org.get("manager_east", "/api/v1/expenses/export.csv?approved_from=2999-01-01T00:00:00Z")
    assert len(later.text.splitlines()) == 1


async def test_claims_are_seen_by_the_owner_their_managers_and_admins(org) -> None:
    claim = await _claim(org, receipts=0)
    for who, status in (("rep_sh", 200), ("manager_east", 200), ("admin", 200), ("rep_east1", 404),
                        ("manager_west", 404)):
        assert (await org.get(who, f"/api/v1/expenses/{claim['id']}")).status_code == status, who
    assert (await org.delete("rep_east1", f"/api/v1/expenses/{claim['id']}")).status_code == 404
    assert (await org.delete("rep_sh", f"/api/v1/expenses/{claim['id']}")).status_code == 204
    synced = (await org.get("rep_sh", "/api/v1/expenses?updated_since=2000-01-01T00:00:00Z")).json()["items"]
    assert synced == [{"id": claim["id"], "deleted": True}]
