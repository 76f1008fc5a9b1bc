"""Demo customers for `make run`: made-up companies in Shanghai, Guangzhou and
Beijing across the demo reps, a few in the public pool, with contacts and
opportunities. Every name, address and number here is invented."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fieldline.demo import DemoOrg
from server.access import viewer_for
from server.actions.contacts import create_contact
from server.actions.customers import create_customer
from server.actions.opportunities import create_opportunity, update_opportunity
from server.actions.pool import release_to_pool

# (city, area code, centre lat, centre lng, streets)
CITIES = {
    "上海": ("021", 31.2304, 121.4737, ["浦东新区张江路", "徐汇区漕溪北路", "闵行区虹梅路", "静安区江宁路", "杨浦区国定路"]),
    "广州": ("020", 23.1291, 113.2644, ["天河区体育西路", "海珠区新港中路", "白云区机场路", "番禺区市桥街"]),
    "北京": ("010", 39.9042, 116.4074, ["朝阳区建国路", "海淀区中关村大街", "丰台区南三环西路", "东城区东直门内大街"]),
}
TRADE_NAMES = [
    "瑞丽", "恒通", "金桥", "华盛", "鼎新", "博远", "宏图", "嘉禾", "远航", "新锐", "海德", "丰源", "盛达", "凯越",
    "明辉", "润泽", "天拓", "中科联", "信诚", "宝利", "汇通", "东升", "安泰", "永兴", "和美", "星河", "蓝海", "光启",
    "腾飞", "聚力", "合众", "卓越", "华彩", "锦程", "万象", "同创", "启明", "鑫源", "长风", "力拓",
]
INDUSTRIES = [("服装", "纺织"), ("物流", "物流"), ("电子", "电子制造"), ("食品", "食品"), ("建材", "建材"),
              ("印刷", "印刷包装"), ("医疗器械", "医疗"), ("软件", "信息技术"), ("化工", "化工"), ("机电", "机械设备")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平"]
TITLES = ["采购经理", "总经理", "行政主管", "财务总监", "技术负责人", "销售总监"]
STAGES = ["lead", "qualified", "proposal", "negotiation"]
REP_CITY = {"east": "上海", "east-sh": "上海", "south": "广州", "south-gz": "广州"}


def _customer_data(index: int, city: str, rng: random.Random) -> dict[str, Any]:
    code, lat, lng, streets = CITIES[city]
    short, industry = INDUSTRIES[index % len(INDUSTRIES)]
    number = f"{rng.randint(5000, 8999)} {rng.randint(1000, 9999)}"
    return {
        "name": f"{city}{TRADE_NAMES[index]}{short}有限公司",
        "phone": f"{code}-{number}",
        "address": f"{city}市{rng.choice(streets)}{rng.randint(1, 999)}号",
        "lat": round(lat + rng.uniform(-0.12, 0.12), 6),
        "lng": round(lng + rng.uniform(-0.15, 0.15), 6),
        "industry": industry,
        "source": rng.choice(["陌拜", "展会", "转介绍", "官网"]),
        "level": rng.choice(["A", "B", "C", "0"]),
        "tags": rng.sample(["重点", "新客户", "老客户", "年度框架", "价格敏感"], k=rng.randint(0, 2)),
    }


async def seed(org: DemoOrg) -> None:
    rng = random.Random(20261125)
    dept_of: dict[int | None, str] = {dept.id: key for key, dept in org.departments.items()}
    for index in range(len(TRADE_NAMES)):
        rep = org.reps[index % len(org.reps)]
        city = "北京" if index % 5 == 4 else REP_CITY.get(dept_of.get(rep.department_id, ""), "上海")
        viewer = await viewer_for(rep)
        customer = await create_customer(viewer, _customer_data(index, city, rng))
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            await create_contact(viewer, {
                "customer_id": customer.id, "name": name, "title": rng.choice(TITLES),
                "mobile": f"13{rng.randint(0, 9)}{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}",
                "email": f"contact{customer.id}_{rng.randint(10, 99)}@example.com",
            })
        if index % 3 == 0:
            opportunity = await create_opportunity(viewer, {
                "customer_id": customer.id, "name": f"{TRADE_NAMES[index]}年度采购",
                "amount": rng.randint(2, 80) * 10_000,
                "expected_close": dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 90)),
            })
            stage = rng.choice(STAGES)
            if stage != "lead":
                await update_opportunity(viewer, opportunity.id, {"stage": stage})
        if index % 9 == 4:
            await release_to_pool(viewer, customer.id, "长期无回应，放入公海")
