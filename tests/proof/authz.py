"""The machinery of the authorization sweep: roles, seeded records, expectations.

Six callers try every route: an administrator, the manager of another
department, the manager of the owner, the owner (a rep), another rep, and
nobody. The records the routes act on are created through the API by the
owner. `authz_table.EXPECTATIONS` says what each caller must get.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

ADMIN, MANAGER_OTHER, MANAGER_OWNER, OWNER, OTHER_REP, ANONYMOUS = (
    "admin", "manager_other", "manager_owner", "owner", "other_rep", "anonymous")
# Denials first: a refused request must not change what the next caller sees.
ROLES = (ANONYMOUS, MANAGER_OTHER, OTHER_REP, MANAGER_OWNER, OWNER, ADMIN)
SIGNED_IN = ROLES[1:]
# The org fixture's people in each role: rep_sh (East Shanghai) owns the
# records; manager_east manages East and so East Shanghai; manager_west does
# not; rep_east1 is a colleague in the wider department.
ORG_KEYS = {ADMIN: "admin", MANAGER_OTHER: "manager_west", MANAGER_OWNER: "manager_east",
            OWNER: "rep_sh", OTHER_REP: "rep_east1", ANONYMOUS: None}
# Text put in every seeded record; nobody who may not see the record may ever read it.
MARKER = "Qzmarker"
_counter = itertools.count(1)


def unique(prefix: str = "x") -> str:
    return f"{prefix}{next(_counter)}"


@dataclass
class Ctx:
    """What bodies and seeders need: the org fixture, ids, seeded records."""

    org: Any
    routes: set[str]
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)

    def uid(self, role: str) -> int:
        return self.org.users[ORG_KEYS[role]].id

    async def call(self, role: str, method: str, path: str, **kwargs: Any) -> Any:
        who = ORG_KEYS[role]
        response = await self.org.request(who, method, path, **kwargs)
        return response

    async def make(self, role: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """A setup call that must succeed; its JSON answer."""
        response = await self.call(role, method, path, **kwargs)
        assert response.status_code < 300, f"setup {method} {path} as {role}: {response.status_code} {response.text}"
        return response.json() if response.content else {}


Seeder = Callable[[Ctx, str], Awaitable[dict[str, Any]]]


@dataclass
class Seed:
    """How to create one record of a kind as the owner; `needs` are the routes it uses."""

    needs: tuple[str, ...]
    create: Seeder
    depends: tuple[str, ...] = ()


@dataclass
class Exp:
    """One route's expected status per signed-in role.

    `kind` names the seeded record whose id fills the path (`{id}`);
    `json`/`request` build the body from the context and that record;
    `fresh` gives every caller a record of their own (for changes);
    `own_session` sends a token of a new session (for calls that end it).
    """

    kind: str | None
    expect: dict[str, int]
    json: Callable[[Ctx, dict[str, Any]], Any] | Any = None
    request: Callable[[Ctx, dict[str, Any]], dict[str, Any]] | None = None
    fresh: bool = False
    own_session: bool = False  # each caller signs in anew (for logout)
    path_params: Callable[[Ctx, dict[str, Any]], dict[str, Any]] | None = None
    prepare: Callable[[Ctx, str, dict[str, Any]], Awaitable[Any]] | None = None  # (ctx, role, record)


def members(status: int = 200, *, others: int = 404) -> dict[str, int]:
    """The seeded conversation's members (the owner and the owner's manager)."""
    return {OWNER: status, MANAGER_OWNER: status, ADMIN: others, MANAGER_OTHER: others, OTHER_REP: others}


def everyone(status: int = 200) -> dict[str, int]:
    return {role: status for role in SIGNED_IN}


def seers(status: int = 200, *, others: int = 404) -> dict[str, int]:
    """The owner, the owner's manager and admins may; the rest must not know it exists."""
    return {ADMIN: status, MANAGER_OWNER: status, OWNER: status, MANAGER_OTHER: others, OTHER_REP: others}


def only(status: int, *who: str, others: int = 403) -> dict[str, int]:
    return {role: status if role in who else others for role in SIGNED_IN}


def but(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}
