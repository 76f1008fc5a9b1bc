"""Approval requests: the chain a template gives, each decision, the inbox, events and notifications."""

from __future__ import annotations

from tests.support.approvals import decide, make_template, submit


async def test_amount_thresholds_choose_the_chain(org) -> None:
    await make_template(org)
    small = await submit(org, amount=5000)
    large = await submit(org, amount=150000)
    assert [s["approver_ids"] for s in small["steps"]] == [[org.manager_east.id]]
    assert [s["approver_ids"] for s in large["steps"]] == [[org.manager_east.id], [org.admin.id]]
    assert (large["status"], large["current_step"], large["steps"][0]["status"]) == ("pending", 0, "pending")
    assert large["steps"][1]["status"] == "waiting"


async def test_approvers_decide_in_order_and_the_submitter_hears_each_decision(org, event_log) -> None:
    await make_template(org)
    request = await submit(org, amount=150000)
    path = f"/api/v1/approvals/{request['id']}"
    assert (await decide(org, "admin", request["id"])).status_code == 403  # not yet their step
    first = await decide(org, "manager_east", request["id"], comment="同意")
    assert first.status_code == 200, first.text
    assert (first.json()["current_step"], first.json()["steps"][0]["decided_by"]) == (1, org.manager_east.id)
    assert (await org.get("manager_east", "/api/v1/approvals/inbox")).json()["items"] == []
    assert [r["id"] for r in (await org.get("admin", "/api/v1/approvals/inbox")).json()["items"]] == [request["id"]]
    final = await decide(org, "admin", request["id"])
    assert (final.json()["status"], final.json()["current_step"]) == ("approved", None)
    assert (await org.get("rep_sh", path)).json()["status"] == "approved"
    notes = (await org.get("rep_sh", "/api/v1/notifications?kind=approval")).json()["items"]
    assert len(notes) == 2 and all(n["link"] == {"type": "approval", "id": request["id"]} for n in notes)
    updates = [e for e in await event_log(org.rep_sh.id) if e["type"] == "approval.updated"]
    assert [e["data"]["status"] for e in updates] == ["pending", "pending", "approved"]
    counts = [e["data"] for e in await event_log(org.admin.id) if e["type"] == "approval.counts"]
    assert counts == [{"waiting": 1, "submitted_pending": 0}, {"waiting": 0, "submitted_pending": 0}]
    mine = [e["data"] for e in await event_log(org.rep_sh.id) if e["type"] == "approval.counts"]
    assert mine[0] == {"waiting": 0, "submitted_pending": 1} and mine[-1] == {"waiting": 0, "submitted_pending": 0}
    history = (await org.get("rep_sh", f"{path}/history")).json()["items"]
    assert [h["action"] for h in history] == ["submitted", "approved", "approved"]


async def test_reject_needs_a_reason_and_ends_the_request(org) -> None:
    await make_template(org)
    request = await submit(org, amount=150000)
    missing = await org.post("manager_east", f"/api/v1/approvals/{request['id']}/reject", {})
    assert missing.status_code == 422
    rejected = await decide(org, "manager_east", request["id"], "reject", reason="预算不足")
    body = rejected.json()
    assert (body["status"], body["reason"], [s["status"] for s in body["steps"]]) == \
        ("rejected", "预算不足", ["rejected", "cancelled"])
    assert (await decide(org, "admin", request["id"])).status_code == 409


async def test_return_and_withdraw(org) -> None:
    await make_template(org)
    returned = await decide(org, "manager_east", (await submit(org))["id"], "return", reason="补充说明")
    assert returned.json()["status"] == "returned"
    request = await submit(org)
    assert (await org.post("manager_east", f"/api/v1/approvals/{request['id']}/withdraw")).status_code == 403
    withdrawn = await org.post("rep_sh", f"/api/v1/approvals/{request['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    again = await org.post("rep_sh", f"/api/v1/approvals/{request['id']}/withdraw")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")
    assert (await org.get("manager_east", "/api/v1/approvals/counts")).json() == {"waiting": 0, "submitted_pending": 0}


async def test_the_inbox_lists_the_longest_waiting_first(org) -> None:
    await make_template(org)
    first = await submit(org, title="第一")
    second = await submit(org, "rep_east1", title="第二")
    inbox = (await org.get("manager_east", "/api/v1/approvals/inbox?limit=1")).json()
    assert [r["id"] for r in inbox["items"]] == [first["id"]]
    rest = (await org.get("manager_east", f"/api/v1/approvals/inbox?cursor={inbox['next_cursor']}")).json()
    assert [r["id"] for r in rest["items"]] == [second["id"]]
    assert (await org.get("manager_east", "/api/v1/approvals/counts")).json()["waiting"] == 2


async def test_forwarding_only_when_the_template_allows_it(org) -> None:
    await make_template(org, steps=[{"type": "direct_manager"}])
    request = await submit(org)
    refused = await org.post("manager_east", f"/api/v1/approvals/{request['id']}/forward", {"user_id": org.manager_west.id})
    assert refused.status_code == 403
    await make_template(org, steps=[{"type": "direct_manager"}], allow_forward=True)
    request = await submit(org)
    forwarded = await org.post("manager_east", f"/api/v1/approvals/{request['id']}/forward",
                               {"user_id": org.manager_west.id, "comment": "请你看看"})
    assert forwarded.json()["steps"][0]["approver_ids"] == [org.manager_west.id]
    assert (await decide(org, "manager_east", request["id"])).status_code == 409
    assert (await decide(org, "manager_west", request["id"])).json()["status"] == "approved"


async def test_cc_and_comments(org) -> None:
    await make_template(org, steps=[{"type": "direct_manager"}])
    request = await submit(org, cc_ids=[org.rep_east2.id])
    assert (await org.get("rep_east2", f"/api/v1/approvals/{request['id']}")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/approvals/{request['id']}")).status_code == 404
    posted = await org.post("rep_east2", f"/api/v1/approvals/{request['id']}/comments", {"body": "我也同行"})
    assert posted.status_code == 201, posted.text
    notes = (await org.get("manager_east", "/api/v1/notifications?kind=approval")).json()["items"]
    assert any("我也同行" in n["body"] for n in notes)
    await decide(org, "manager_east", request["id"])
    cc_notes = (await org.get("rep_east2", "/api/v1/notifications?kind=approval")).json()["items"]
    assert len(cc_notes) == 2  # copied at submission and told the outcome
    box = (await org.get("rep_east2", "/api/v1/approvals?box=cc")).json()["items"]
    assert [r["id"] for r in box] == [request["id"]]


async def test_a_request_keeps_the_template_version_it_was_submitted_under(org) -> None:
    template = await make_template(org)
    before = await submit(org, amount=150000)
    changed = await org.patch("admin", f"/api/v1/approval-templates/{template['id']}",
                              {"steps": [{"type": "direct_manager"}]}, headers={"If-Match": "1"})
    assert changed.json()["version"] == 2
    after = await submit(org, amount=150000)
    assert (before["template_version"], len(before["steps"])) == (1, 2)
    assert (after["template_version"], len(after["steps"])) == (2, 1)
    stale = await org.patch("admin", f"/api/v1/approval-templates/{template['id']}", {"name": "x"},
                            headers={"If-Match": "1"})
    assert stale.status_code == 409
    assert (await decide(org, "manager_east", before["id"])).json()["current_step"] == 1


async def test_templates_are_for_administrators_and_need_valid_steps(org) -> None:
    body = {"kind": "leave", "name": "请假", "steps": [{"type": "direct_manager"}]}
    assert (await org.post("manager_east", "/api/v1/approval-templates", body)).status_code == 403
    for steps in ([], [{"type": "boss"}], [{"type": "user"}], [{"type": "user", "user_id": 99999}]):
        response = await org.post("admin", "/api/v1/approval-templates", {**body, "steps": steps})
        assert response.status_code == 422, (steps, response.text)
    missing = await org.post("rep_sh", "/api/v1/approvals", {"kind": "leave", "title": "请假"})
    assert (missing.status_code, list(missing.json()["error"]["details"]["fields"])) == (422, ["kind"])


async def test_approvers_read_the_notification_in_their_language(org) -> None:
    await org.patch("manager_east", "/api/v1/me", {"language": "en"})
    await make_template(org, "expense", [{"type": "direct_manager"}])
    await submit(org, kind="expense", title="出差")
    [note] = (await org.get("manager_east", "/api/v1/notifications?kind=approval")).json()["items"]
    assert (note["title"], note["body"]) == ("Waiting for your approval: 出差", "expense claim from 王芳, step 1")
    await make_template(org, "leave", [{"type": "direct_manager"}])
    request = await submit(org, "rep_east1", kind="leave", title="年假")
    await decide(org, "manager_east", request["id"], "reject", reason="人手不足")
    titles = [n["title"] for n in (await org.get("rep_east1", "/api/v1/notifications?kind=approval")).json()["items"]]
    assert titles == ["已驳回：年假"]
