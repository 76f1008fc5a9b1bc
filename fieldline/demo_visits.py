"""Demo field work: a few check-ins, follow-up notes and one daily report.

Runs after `demo_customers` (name order), on the demo reps' own customers;
with no customers it adds nothing.
"""

from __future__ import annotations

import datetime as dt

from fieldline.demo import DemoOrg
from server.access import viewer_for
from server.actions.activities import log_activity
from server.actions.checkins import check_in, check_out
from server.actions.daily_reports import submit_daily_report
from server.clock import utcnow
from server.localdays import local_date
from server.models.customers import Customer

NOTES = ("Met the purchasing manager; samples wanted next week.", "Called about the spring order; call back Friday.")


async def seed(org: DemoOrg) -> None:
    now = utcnow()
    for rep in org.reps[:2]:
        customers = await Customer.filter(owner_id=rep.id, deleted_at=None).order_by("id").limit(2)
        if not customers:
            continue
        viewer = await viewer_for(rep)
        for hours_ago, customer, note in zip((3, 1), customers, NOTES):
            at = now - dt.timedelta(hours=hours_ago)
            lat, lng = customer.lat or 31.2304, customer.lng or 121.4737
            visit = await check_in(viewer, {"customer_id": customer.id, "lat": lat + 0.0004, "lng": lng,
                                            "accuracy_m": 12.0, "captured_at": at, "note": "Visit"})
            await check_out(viewer, visit.id, {"lat": lat, "lng": lng, "captured_at": at + dt.timedelta(minutes=40)})
            await log_activity(viewer, {"customer_id": customer.id, "kind": "visit", "content": note,
                                        "reached": True, "next_contact_at": now + dt.timedelta(days=2)})
        if rep is org.reps[0]:
            await submit_daily_report(viewer, {
                "date": local_date(now, rep.timezone), "summary": "Two visits, both buyers interested.",
                "plan": "Send samples and quotes tomorrow.", "problems": None,
            })
