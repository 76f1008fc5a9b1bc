"""Writing down who lost (or gained) sight of customers, for delta sync.

`GET /api/v1/customers?updated_since=` sends what changed since a phone last
synced. A customer that moved out of someone's sight (claimed by a colleague
from the pool, transferred to another team, no longer shared with them, its
owner moved to a department they do not manage) is no longer in their list,
so without a note they would never hear of it again and their phone would keep
it. Each such moment becomes a `customer_sight_changes` row, and the sync
answers it with a tombstone when the person cannot see the customer any more
(or with the record when they can again). The same notes drive the sync of
the customer's contacts and opportunities (`server.queries.sight_sync`), which
come into sight with it — a new owner's phone gets them although they did
not change — and leave with it. See docs/customers.md.

Call these inside the `atomic()` block of the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from tortoise import connections

from server.access import department_children, managers_of, subtree
from server.clock import utcnow
from server.models.customers import Customer, CustomerShare, CustomerSightChange
from server.models.identity import Role, User
from server.queries.orm import column
from server.queries.sight_sync import sight_retention
from server.transaction import atomic

__all__ = [
    "customer_viewers", "prune_sight_changes", "record_sight_changes", "record_team_changes", "team_snapshot",
]

INSERT_BATCH = 500
PRUNE_BATCH = 5000
EVERYONE = None  # `user_id` of a row for everyone who could see it: it left the pool

Viewers = frozenset[int] | None  # None: everyone (a pool customer)
Teams = dict[int, frozenset[int]]


async def customer_viewers(customer: Customer) -> Viewers:
    """Who sees the customer besides administrators; None means everyone (the pool)."""
    if customer.in_pool:
        return None
    viewers = set(await column(CustomerShare.filter(customer_id=customer.id), "user_id"))
    if customer.owner_id is not None:
        viewers.add(customer.owner_id)
        viewers.update(await managers_of(customer.owner_id))
    return frozenset(viewers)


async def record_sight_changes(customer: Customer, before: Viewers, after: Viewers) -> None:
    """Note everyone who saw the customer before a change and does not after it, and
    everyone who sees it after and did not before (so they get its contacts and
    opportunities, which did not change). Stamped with the customer's own
    `updated_at`, so a customers sync sends the changed customer once."""
    if before is None and after is None:
        return
    if before is None or after is None:
        # Into or out of the pool: everyone but the new (or old) owner's line.
        changed: Sequence[int | None] = [EVERYONE]
    else:
        changed = sorted(before ^ after)
    stamp = customer.updated_at
    await CustomerSightChange.bulk_create(
        [CustomerSightChange(customer_id=customer.id, user_id=user_id, changed_at=stamp) for user_id in changed]
    )


async def team_snapshot() -> Teams:
    """Each manager's team: the people whose customers they see (their departments, recursively)."""
    children = await department_children()
    members: dict[int, set[int]] = {}
    for user_id, department_id in await User.filter(department_id__not_isnull=True).values_list(
        "id", "department_id"
    ):
        members.setdefault(department_id, set()).add(user_id)
    managers = set(await column(User.filter(role=Role.MANAGER), "id"))
    _, rows = await connections.get("default").execute_query(
        "SELECT user_id, department_id FROM user_managed_departments"
    )
    managed: dict[int, list[int]] = {}
    for row in rows:
        if row["user_id"] in managers:
            managed.setdefault(row["user_id"], []).append(row["department_id"])
    teams: Teams = {manager: frozenset() for manager in managers}
    for manager, roots in managed.items():
        departments = subtree(children, roots)
        teams[manager] = frozenset(user for dept in departments for user in members.get(dept, ()))
    return teams


async def record_team_changes(before: Teams) -> None:
    """After a change to people or departments: note, for each manager whose team
    changed, every customer of the people who left or joined it."""
    after = await team_snapshot()
    now = utcnow()
    rows: list[CustomerSightChange] = []
    for manager in sorted(set(before) | set(after)):
        moved = (before.get(manager, frozenset()) ^ after.get(manager, frozenset())) - {manager}
        for customer_id in await _owned_by(moved):
            rows.append(CustomerSightChange(customer_id=customer_id, user_id=manager, changed_at=now))
    if rows:
        await CustomerSightChange.bulk_create(rows, batch_size=INSERT_BATCH)


async def _owned_by(owner_ids: Iterable[int]) -> list[int]:
    owners = sorted(owner_ids)
    if not owners:
        return []
    return await column(Customer.filter(owner_id__in=owners, deleted_at=None).order_by("id"), "id")


async def prune_sight_changes(before: dt.datetime | None = None) -> int:
    """Delete notes written before `before` (default: now − the retention); returns how many.

    Deletes in batches, each its own short transaction.
    """
    cutoff = before if before is not None else utcnow() - sight_retention()
    deleted = 0
    while True:
        async with atomic():
            ids = await column(CustomerSightChange.filter(changed_at__lt=cutoff).order_by("id").limit(
                PRUNE_BATCH
            ), "id")
            if ids:
                await CustomerSightChange.filter(id__in=list(ids)).delete()
        deleted += len(ids)
        if len(ids) < PRUNE_BATCH:
            return deleted
