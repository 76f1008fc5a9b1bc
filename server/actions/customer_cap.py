"""The cap on how many customers one person may own (慧聪 资源规则: 销售人员、主管、
经理库存总数小于等于130).

Every path that gives someone a customer — create, import, claim, transfer,
card save, lead conversion — locks the future owner's user row and counts
inside its transaction (`lock_owner`, then `check_room` or `room_left`), so two
requests for the same owner are counted one after the other and cannot both
take the last place. Lock order everywhere: 撞单 key locks, then the owner's
row, then the customer's row.
"""

from __future__ import annotations

from tortoise import connections

from server.db import dialect
from server.errors import AppError, ErrorCode, conflict
from server.models.customers import Customer
from server.models.identity import Role, User
from server.settings import get_settings


def limit_for(role: Role | str) -> int | None:
    """The most customers someone in `role` may own; None means no cap."""
    settings = get_settings()
    if role == Role.REP:
        return settings.max_customers_per_rep
    if role == Role.MANAGER:
        return settings.max_customers_per_manager
    return settings.max_customers_per_admin


async def owned_count(user_id: int) -> int:
    """Customers counting towards the cap: owned, not deleted, not in the pool."""
    return await Customer.filter(owner_id=user_id, deleted_at=None, in_pool=False).count()


async def lock_owner(user_id: int) -> User:
    """Serialise everything that gives `user_id` customers (call inside `atomic()`).

    PostgreSQL: the user's row, FOR UPDATE. SQLite has no row locks; every
    `atomic()` begins IMMEDIATE (the database's write lock), and the no-op
    write keeps that true should a transaction ever begin deferred.
    """
    if dialect() == "postgres":
        return await User.select_for_update().get(id=user_id)
    await connections.get("default").execute_query("UPDATE users SET id = id WHERE id = ?", [user_id])
    return await User.get(id=user_id)


async def room_left(owner: User) -> int | None:
    """How many more customers `owner` may take now; None when uncapped."""
    limit = limit_for(owner.role)
    if limit is None:
        return None
    return max(0, limit - await owned_count(owner.id))


def limit_error(owner: User, actor_id: int, limit: int, owned: int) -> AppError:
    who = "You already own" if owner.id == actor_id else f"{owner.name} already owns"
    return conflict(
        f"{who} {owned} customers, the most a {Role(owner.role).value} may have ({limit}); "
        "release one to the pool first.",
        ErrorCode.LIMIT_REACHED, limit=limit, owned=owned,
    )


async def refuse_when_full(owner: User, actor_id: int) -> None:
    """409 `limit_reached` when `owner` (locked by `lock_owner`) is at their cap."""
    limit = limit_for(owner.role)
    if limit is None:
        return
    owned = await owned_count(owner.id)
    if owned >= limit:
        raise limit_error(owner, actor_id, limit, owned)


async def check_room(owner_id: int, actor_id: int) -> None:
    """Lock the future owner and refuse when they are at their cap."""
    await refuse_when_full(await lock_owner(owner_id), actor_id)
