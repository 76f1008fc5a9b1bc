"""Department announcements (部门公告): a feed item and a notification to every member."""

from __future__ import annotations

from dataclasses import dataclass

from server.access import Viewer, department_subtree
from server.actions.feed_items import record_feed_item
from server.actions.notify import notify
from server.errors import forbidden, invalid_field
from server.models.feed import FeedItem
from server.models.identity import Department, User
from server.queries.orm import column
from server.transaction import atomic


@dataclass
class Announcement:
    item: FeedItem
    title: str
    department_ids: list[int]  # the addressed departments (below them included); empty = everyone
    recipient_ids: list[int]


async def announce(viewer: Viewer, title: str, body: str, department_id: int | None) -> Announcement:
    """A manager announces to a department they manage (or all of theirs), an
    admin to any department or (without one) to everyone."""
    roots = await _addressed(viewer, department_id)
    members = User.filter(active=True)
    if roots:
        members = members.filter(department_id__in=sorted(await department_subtree(roots)))
    recipients = set(await column(members, "id")) - {viewer.id}
    async with atomic():
        item = await record_feed_item(
            viewer.user, "announcement", f"{title}\n\n{body}".strip(),
            visibility="department" if roots else "public", audience=recipients,
            department_id=roots[0] if roots else None,
        )
        await notify(recipients, "announcement", title, body[:1000], link_type="post", link_id=item.id,
                     data={"post_id": item.id, "department_ids": roots})
    return Announcement(item, title, roots, sorted(recipients))


async def _addressed(viewer: Viewer, department_id: int | None) -> list[int]:
    viewer.require_manager()
    if department_id is not None and not await Department.exists(id=department_id):
        raise invalid_field("department_id", "is not a department")
    if viewer.is_admin:
        return [department_id] if department_id is not None else []
    if department_id is None:
        if not viewer.managed_department_ids:
            raise forbidden("You manage no department to announce to.")
        return sorted(viewer.managed_department_ids)
    if department_id not in viewer.scope_department_ids:
        raise forbidden("You may announce only to the departments you manage.")
    return [department_id]
