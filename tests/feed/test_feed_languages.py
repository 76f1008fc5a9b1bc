"""Feed lines the server writes (check-ins, activities, opportunity changes, daily
reports) are shown to each reader in their language: on the socket, on the
feed page (the hand-written statement and the ORM path) and on the item."""

from __future__ import annotations

from typing import Any

from server.models.customers import Opportunity
from server.models.feed import FeedItem
from tests.visits.conftest import checkin_body
from tests.visits.conftest import make_customer as customer_on_map


async def readers(org: Any) -> None:
    """rep_east1 writes (zh-CN); rep_east2 follows them and reads English; their manager reads Chinese."""
    assert (await org.patch("rep_east2", "/api/v1/me", {"language": "en"})).status_code == 200
    follow = {"target_type": "user", "target_id": org.rep_east1.id}
    assert (await org.post("rep_east2", "/api/v1/follows", follow)).status_code == 201


async def shared_customer(org: Any) -> Any:
    """A customer of rep_east1 that rep_east2 may see too (items about it follow its visibility)."""
    customer = await customer_on_map(org.rep_east1, "瑞丽服装")
    share = await org.post("rep_east1", f"/api/v1/customers/{customer.id}/share", {"user_ids": [org.rep_east2.id]})
    assert share.status_code == 200, share.text
    return customer


async def seen(org: Any, item_id: int, event_log: Any) -> dict[str, set[str]]:
    """What each reader is shown as the item's body, by every way of reading it."""
    shown: dict[str, set[str]] = {}
    for who in ("rep_east1", "rep_east2", "manager_east"):
        item = await FeedItem.get(id=item_id)
        ways = [(await org.get(who, f"/api/v1/posts/{item_id}")).json()["body"]]
        for path in ("/api/v1/feed?scope=team", "/api/v1/feed?scope=following",
                     f"/api/v1/feed?subject_type={item.subject_type}&subject_id={item.subject_id}"):
            if item.subject_type is None and "subject" in path:
                continue
            page = (await org.get(who, path)).json()["items"]
            ways += [i["body"] for i in page if i["id"] == item_id]
        ways += [e["data"]["body"] for e in await event_log(org.users[who].id)
                 if e["type"] == "feed.new" and e["data"]["id"] == item_id]
        assert len(ways) >= 4, (who, ways)
        shown[who] = set(ways)
    return shown


async def test_a_check_in_line_is_in_each_readers_language(org, event_log):
    await readers(org)
    customer = await shared_customer(org)
    answer = await org.post("rep_east1", "/api/v1/checkins", checkin_body(customer.id, note="带了样品"))
    assert answer.status_code == 201, answer.text
    item = await FeedItem.get(kind="checkin")
    assert item.body == "在 瑞丽服装 签到：带了样品"  # kept in the author's language too
    assert await seen(org, item.id, event_log) == {
        "rep_east1": {"在 瑞丽服装 签到：带了样品"},
        "rep_east2": {"Checked in at 瑞丽服装: 带了样品"},
        "manager_east": {"在 瑞丽服装 签到：带了样品"},
    }


async def test_activity_opportunity_and_daily_report_lines(org, event_log):
    await readers(org)
    customer = await shared_customer(org)
    made = await org.post("rep_east1", "/api/v1/activities",
                          {"customer_id": customer.id, "kind": "call", "content": "谈价格"})
    assert made.status_code == 201, made.text
    activity = await FeedItem.get(kind="activity")
    shown = await seen(org, activity.id, event_log)
    assert shown["rep_east2"] == {"Call · 瑞丽服装: 谈价格"} and shown["manager_east"] == {"电话 · 瑞丽服装：谈价格"}

    deal = await Opportunity.create(customer_id=customer.id, name="年度框架", owner_id=org.rep_east1.id,
                                    amount=1000, currency="CNY")
    changed = await org.patch("rep_east1", f"/api/v1/opportunities/{deal.id}",
                              {"stage": "proposal", "status": "lost", "loss_reason": "价格"})
    assert changed.status_code == 200, changed.text
    line = await FeedItem.get(kind="opportunity")
    shown = await seen(org, line.id, event_log)
    assert shown["rep_east2"] == {"Opportunity “年度框架”: stage lead → proposal; lost: 价格"}
    assert shown["manager_east"] == {"商机「年度框架」阶段 线索 → 方案报价，输单: 价格"}

    day = (await org.get("rep_east1", "/api/v1/me")).json()  # the author's own local day
    from server.localdays import local_date
    from server.clock import utcnow

    today = local_date(utcnow(), day["timezone"])
    sent = await org.post("rep_east1", "/api/v1/daily-reports",
                          {"date": today.isoformat(), "summary": "拜访三家", "plan": "回访"})
    assert sent.status_code == 201, sent.text
    report = await FeedItem.get(kind="daily_report")
    shown = await seen(org, report.id, event_log)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert shown["rep_east2"] == {f"Daily report {months[today.month - 1]} {today.day}, {today.year}: 拜访三家"}
    assert shown["manager_east"] == {f"{today.year}年{today.month}月{today.day}日 日报：拜访三家"}


async def test_what_people_write_is_shown_as_written(org, event_log):
    await readers(org)
    post = await org.post("rep_east1", "/api/v1/posts", {"body": "Checked in at 瑞丽服装"})
    shown = await seen(org, post.json()["id"], event_log)
    assert all(bodies == {"Checked in at 瑞丽服装"} for bodies in shown.values())
    assert (await FeedItem.get(id=post.json()["id"])).text is None
