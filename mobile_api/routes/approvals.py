"""Approvals (审批): templates an administrator defines, requests people submit and decide."""

from __future__ import annotations

from typing import Any

from mobile_api.concurrency import if_match
from mobile_api.routing import Call, api
from mobile_api.schemas import approvals as s
from server.actions import approval_templates, approvals
from server.queries import approvals as q
from server.render.approvals import render_template, request_answer


def _template_data(call: Call) -> dict[str, Any]:
    data = call.changes()
    if call.body.steps is not None:
        data["steps"] = [step.model_dump(exclude_none=True) for step in call.body.steps]
    return data


@api.get("/api/v1/approval-templates", query=s.TemplatesQuery, response=s.TemplateList)
async def list_templates(call: Call) -> Any:
    """Every template (anyone may see the chain ahead of a request); `updated_since` includes deleted ones."""
    query = call.query
    return await q.list_templates(query.kind, query.limit, query.cursor, query.updated_since)


@api.post("/api/v1/approval-templates", body=s.TemplateIn, response=s.Template, status=201, idempotent=True,
          errors=(403,))
async def create_template(call: Call) -> Any:
    """Define a flow (administrators): ordered steps, amount conditions, whether forwarding is allowed."""
    return render_template(await approval_templates.create_template(call.viewer, _template_data(call)))


@api.get("/api/v1/approval-templates/{id:int}", response=s.Template)
async def get_template(call: Call) -> Any:
    """One template at its current version."""
    return render_template(await q.access_template(call.viewer, call["id"]))


@api.patch("/api/v1/approval-templates/{id:int}", body=s.TemplatePatchIn, response=s.Template, errors=(403, 409))
async def update_template(call: Call) -> Any:
    """A new version of the flow (administrators); pending requests keep theirs. `If-Match` → 409 `stale_version`."""
    template = await approval_templates.update_template(call.viewer, call["id"], _template_data(call),
                                                        if_match(call.request))
    return render_template(template)


@api.delete("/api/v1/approval-templates/{id:int}", status=204, errors=(403, 409))
async def delete_template(call: Call) -> None:
    """No new requests under it (administrators); pending ones finish."""
    await approval_templates.delete_template(call.viewer, call["id"], if_match(call.request))


@api.get("/api/v1/approvals", query=s.RequestsQuery, response=s.RequestList)
async def list_requests(call: Call) -> Any:
    """Requests the caller may see, newest first (by `updated_since`: oldest change first)."""
    query = call.query
    filters = {"kind": query.kind, "status": query.status}
    return await q.list_requests(call.viewer, query.box, filters, query.limit, query.cursor, query.updated_since)


@api.post("/api/v1/approvals", body=s.RequestIn, response=s.Request, status=201, idempotent=True, errors=(403, 409))
async def submit_request(call: Call) -> Any:
    """Submit a request; its record (if any) is locked until it ends (409 `under_review` on edits)."""
    data = call.changes()
    return await approvals.submit_request(call.viewer, data)


@api.get("/api/v1/approvals/inbox", query=s.InboxQuery, response=s.RequestList)
async def inbox(call: Call) -> Any:
    """What waits for the caller's decision, the longest-waiting first."""
    return await q.inbox(call.viewer, call.query.limit, call.query.cursor)


@api.get("/api/v1/approvals/counts", response=s.Counts)
async def counts(call: Call) -> Any:
    """The inbox count (also sent as `approval.counts` on the socket whenever it changes)."""
    return await q.counts(call.viewer.id)


@api.get("/api/v1/approvals/{id:int}", response=s.Request)
async def get_request(call: Call) -> Any:
    """One request with its steps and CC list."""
    return await request_answer(await q.access_request(call.viewer, call["id"]))


@api.get("/api/v1/approvals/{id:int}/history", query=s.InboxQuery, response=s.EntryList)
async def history(call: Call) -> Any:
    """The request's log, oldest first: submission, decisions, comments, forwards."""
    return await q.history(call.viewer, call["id"], call.query.limit, call.query.cursor)


@api.post("/api/v1/approvals/{id:int}/approve", body=s.DecisionIn, response=s.Request, errors=(403, 409))
async def approve(call: Call) -> Any:
    """Approve the current step; the next starts, or the request ends approved. 409 `already_decided` if it moved."""
    body = call.body
    return await approvals.decide(call.viewer, call["id"], "approved", body.comment, body.step, if_match(call.request))


@api.post("/api/v1/approvals/{id:int}/reject", body=s.ReasonIn, response=s.Request, errors=(403, 409))
async def reject(call: Call) -> Any:
    """Reject with a reason: the request ends and its record unlocks."""
    body = call.body
    return await approvals.decide(call.viewer, call["id"], "rejected", body.reason, body.step, if_match(call.request))


@api.post("/api/v1/approvals/{id:int}/return", body=s.ReasonIn, response=s.Request, errors=(403, 409))
async def return_for_changes(call: Call) -> Any:
    """Return for changes (退回): the record unlocks for its owner to edit and submit again."""
    body = call.body
    return await approvals.decide(call.viewer, call["id"], "returned", body.reason, body.step, if_match(call.request))


@api.post("/api/v1/approvals/{id:int}/withdraw", response=s.Request, errors=(403, 409))
async def withdraw(call: Call) -> Any:
    """The submitter takes a pending request back (撤回); 409 `already_decided` once it ended."""
    return await approvals.withdraw(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/approvals/{id:int}/forward", body=s.ForwardIn, response=s.Request, errors=(403, 409))
async def forward(call: Call) -> Any:
    """Hand the current step to another person (转交), when the template allows it."""
    body = call.body
    return await approvals.forward(call.viewer, call["id"], body.user_id, body.comment, body.step)


@api.post("/api/v1/approvals/{id:int}/comments", body=s.CommentIn, response=s.Entry, status=201, idempotent=True)
async def comment(call: Call) -> Any:
    """A remark in the request's log; the submitter and the current approvers are notified."""
    return await approvals.comment(call.viewer, call["id"], call.body.body)
