"""The demo organisation shows approvals: templates, requests waiting in the manager's inbox, a contract with 回款."""

from __future__ import annotations

from fieldline.demo import create_demo
from server.models.approvals import ApprovalRequest, ApprovalTask, ApprovalTemplate
from server.models.contracts import Contract
from server.models.identity import User


async def test_demo_approvals_wait_in_the_managers_inbox(app) -> None:
    await create_demo()
    assert sorted(await ApprovalTemplate.all().values_list("kind", flat=True)) == ["contract", "discount", "expense",
                                                                                   "leave"]
    manager = await User.get(login="wang.jl")
    waiting = await ApprovalTask.filter(user_id=manager.id, open=True).count()
    assert waiting >= 2
    assert await ApprovalRequest.filter(status="approved").count() == 1
    statuses = sorted(await Contract.all().values_list("status", flat=True))
    assert statuses == ["active", "reviewing"]
    active = await Contract.get(status="active")
    assert 0 < active.collected < active.amount
