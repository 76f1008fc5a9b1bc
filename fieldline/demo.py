"""A demo organisation for `make run`: departments, an admin, two managers, eight reps.

Made-up people and companies only. Other nouns add their demo records in
`fieldline/demo_<noun>.py` modules with `async def seed(org: DemoOrg)`, run in name
order after the people exist.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

from server.actions.users import create_department, create_user
from server.models.identity import Department, User
from server.security import hash_password

DEMO_PASSWORD = "fieldline-demo"

REPS = [
    ("zhang.wei", "张伟", "east"), ("li.na", "李娜", "east"), ("wang.fang", "王芳", "east-sh"),
    ("liu.yang", "刘洋", "east-sh"), ("chen.jing", "陈静", "south"), ("yang.lei", "杨磊", "south"),
    ("zhao.min", "赵敏", "south-gz"), ("huang.tao", "黄涛", "south-gz"),
]


@dataclass
class DemoOrg:
    admin: User
    managers: list[User]
    reps: list[User]
    departments: dict[str, Department] = field(default_factory=dict)


async def _departments() -> dict[str, Department]:
    hq = await create_department(None, "总部 Head Office", None)
    east = await create_department(None, "华东区 East", hq.id)
    south = await create_department(None, "华南区 South", hq.id)
    east_sh = await create_department(None, "上海组 Shanghai", east.id)
    south_gz = await create_department(None, "广州组 Guangzhou", south.id)
    return {"hq": hq, "east": east, "south": south, "east-sh": east_sh, "south-gz": south_gz}


async def create_demo() -> str:
    if await User.exists():
        return "The database already has users; no demo data added."
    password_hash = await hash_password(DEMO_PASSWORD)
    depts = await _departments()

    async def person(login: str, name: str, role: str, dept: str, managed: list[str] | None = None) -> User:
        return await create_user(None, {
            "login": login, "name": name, "role": role, "department_id": depts[dept].id,
            "managed_department_ids": [depts[m].id for m in managed or []],
            "email": f"{login}@example.com", "title": {"admin": "系统管理员", "manager": "销售经理"}.get(role, "销售代表"),
            "mobile": None,
        }, password_hash=password_hash)

    admin = await person("admin", "系统管理员", "admin", "hq")
    managers = [await person("wang.jl", "王经理", "manager", "east", ["east"]),
                await person("zhou.jl", "周经理", "manager", "south", ["south"])]
    reps = [await person(login, name, "rep", dept) for login, name, dept in REPS]
    org = DemoOrg(admin, managers, reps, depts)
    await _seed_parts(org)
    logins = ", ".join(u.login for u in [admin, *managers, *reps])
    return f"Demo organisation created. Logins: {logins}; password for all: {DEMO_PASSWORD}"


async def _seed_parts(org: DemoOrg) -> None:
    import fieldline

    for info in sorted(pkgutil.iter_modules(fieldline.__path__), key=lambda i: i.name):
        if info.name.startswith("demo_"):
            module = importlib.import_module(f"fieldline.{info.name}")
            await module.seed(org)
