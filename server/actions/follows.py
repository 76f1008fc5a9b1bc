"""Following colleagues, customers, opportunities and leads.

A manager follows everyone in the departments they manage without a row
here: `server.queries.feed.following_q` and `followers_of` compute it, so it ends the day
someone moves to another department.
"""

from __future__ import annotations

from server.access import Viewer
from server.errors import conflict, invalid_field, not_found
from server.models.feed import Follow
from server.models.identity import User
from server.queries.customers import access_customer
from server.queries.leads import access_lead
from server.queries.opportunities import access_opportunity
from server.transaction import atomic


async def check_target(viewer: Viewer, target_type: str, target_id: int) -> None:
    """404 unless the target exists and the viewer may see it."""
    if target_type == "user":
        if target_id == viewer.id:
            raise invalid_field("target_id", "is you: follow a colleague")
        if not await User.exists(id=target_id, active=True):
            raise not_found("user")
    elif target_type == "customer":
        await access_customer(viewer, target_id)
    elif target_type == "lead":
        await access_lead(viewer, target_id)
    else:
        await access_opportunity(viewer, target_id)


async def follow(viewer: Viewer, target_type: str, target_id: int) -> tuple[Follow, bool]:
    """(the follow, created?) — following twice keeps the first."""
    await check_target(viewer, target_type, target_id)
    async with atomic():
        row, created = await Follow.get_or_create(user_id=viewer.id, target_type=target_type, target_id=target_id)
    return row, created


async def unfollow(viewer: Viewer, target_type: str, target_id: int) -> None:
    async with atomic():
        removed = await Follow.filter(user_id=viewer.id, target_type=target_type, target_id=target_id).delete()
    if removed:
        return
    if target_type == "user" and target_id in viewer.team_user_ids:
        raise conflict("You follow everyone in the departments you manage; that cannot be undone.")
    raise not_found("follow")
