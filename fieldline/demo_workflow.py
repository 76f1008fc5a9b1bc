"""Demo approvals for `make run`: templates for contracts (the director above 100 000), expenses,
discounts and leave; an approved contract with payments and an overdue plan, a large contract and an
expense claim waiting in the manager's inbox, a leave request. Runs after the demo customers."""

from __future__ import annotations

import datetime as dt

from fieldline.demo import DemoOrg
from server.access import viewer_for
from server.actions.approval_templates import create_template
from server.actions.approvals import decide, submit_request
from server.actions.contracts import create_contract
from server.actions.expenses import create_claim
from server.actions.payments import add_plan, record_payment
from server.clock import utcnow
from server.models.customers import Customer
from server.models.identity import User

FLOWS = [
    ("contract", "合同审批 Contract approval", [{"type": "direct_manager"},
                                              {"type": "manager_above", "min_amount": 100000}]),
    ("expense", "费用报销 Expense claim", [{"type": "direct_manager"}]),
    ("discount", "折扣审批 Discount", [{"type": "direct_manager"}, {"type": "role", "role": "admin", "min_amount": 50000}]),
    ("leave", "请假 Leave", [{"type": "direct_manager"}]),
]


def _day(days: int) -> dt.date:
    return utcnow().date() + dt.timedelta(days=days)


async def _customer(rep: User) -> Customer | None:
    return await Customer.filter(owner_id=rep.id, deleted_at=None).order_by("id").first()


async def seed(org: DemoOrg) -> None:
    admin = await viewer_for(org.admin)
    for kind, name, steps in FLOWS:
        await create_template(admin, {"kind": kind, "name": name, "steps": steps, "allow_forward": True})
    rep, other = org.reps[0], org.reps[1]
    viewer = await viewer_for(rep)
    customer = await _customer(rep)
    if customer is not None:
        signed = await create_contract(viewer, {"customer_id": customer.id, "name": "年度工装供货 Uniform supply",
                                                "amount": 80000, "signed_on": _day(-20)})
        request = await submit_request(viewer, {"kind": "contract", "subject": {"type": "contract", "id": signed.id}})
        await decide(await viewer_for(org.managers[0]), request["id"], "approved", "同意 Agreed")
        await add_plan(viewer, signed.id, {"due_on": _day(-5), "amount": 40000, "note": "首付款 First instalment"})
        await add_plan(viewer, signed.id, {"due_on": _day(25), "amount": 40000})
        await record_payment(viewer, signed.id, {"paid_on": _day(-3), "amount": 30000, "method": "bank transfer"})
        large = await create_contract(viewer, {"customer_id": customer.id, "name": "三年框架协议 Framework agreement",
                                               "amount": 360000})
        await submit_request(viewer, {"kind": "contract", "subject": {"type": "contract", "id": large.id}})
    claim = await create_claim(viewer, {"title": "上海客户拜访差旅 Shanghai visits", "lines": [
        {"spent_on": _day(-2), "category": "transport", "amount": 86.5, "note": "出租车 Taxi"},
        {"spent_on": _day(-2), "category": "meals", "amount": 240, "note": "客户午餐 Lunch with the buyer"},
    ]})
    await submit_request(viewer, {"kind": "expense", "subject": {"type": "expense", "id": claim.id}})
    await submit_request(await viewer_for(other), {"kind": "leave", "title": "年假两天 Two days of annual leave",
                                                   "data": {"from": _day(7).isoformat(), "to": _day(8).isoformat()}})
