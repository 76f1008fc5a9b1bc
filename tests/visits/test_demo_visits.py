"""The demo seeds visits on the demo reps' own customers, and tolerates none."""

from __future__ import annotations

from tests.visits.conftest import make_customer


def _demo_org(org):
    from fieldline.demo import DemoOrg

    return DemoOrg(org.admin, [org.manager_east], [org.rep_sh, org.rep_east1], dict(org.departments))


async def test_demo_adds_visits_notes_and_a_report(org):
    from fieldline.demo_visits import seed
    from server.models.visits import Activity, CheckIn, DailyReport

    await make_customer(org.rep_sh, name="Demo Garments")
    await make_customer(org.rep_sh, name="Demo Tools", where=None)
    await seed(_demo_org(org))
    checkins = await CheckIn.filter(user_id=org.rep_sh.id)
    assert len(checkins) == 2 and all(c.duration_s == 40 * 60 for c in checkins)
    assert await Activity.filter(author_id=org.rep_sh.id).count() == 2
    assert await DailyReport.filter(user_id=org.rep_sh.id).count() == 1


async def test_demo_without_customers_adds_nothing(org):
    from fieldline.demo_visits import seed
    from server.models.visits import CheckIn, DailyReport

    await seed(_demo_org(org))
    assert await CheckIn.all().count() == 0 and await DailyReport.all().count() == 0
