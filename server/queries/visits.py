"""Reading activities, check-ins and photos, and who may see them.

A follow-up note or a check-in is visible to whoever sees its author's
records (the author, their managers, admins) and to the customer's owner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q

from server.access import Viewer
from server.errors import found_as, not_found
from server.models.visits import Activity, CheckIn, Photo
from server.paging import newest_first, page
from server.queries.orm import column, lookup
from server.queries.record_photos import sees_through_record
from server.render.visits import render_activity


def visible_to(viewer: Viewer, author_field: str) -> Q:
    """Rows whose author the viewer sees, or that are about the viewer's own customers."""
    owners = viewer.owner_ids()
    if owners is None:
        return Q()
    return lookup({f"{author_field}__in": list(owners)}) | Q(customer__owner_id=viewer.id)


async def access_activity(viewer: Viewer, activity_id: int) -> Activity:
    activity = await Activity.filter(visible_to(viewer, "author_id"), id=activity_id).first()
    if activity is None:
        raise not_found("activity")
    return activity


async def access_checkin(viewer: Viewer, checkin_id: int) -> CheckIn:
    checkin = await CheckIn.filter(visible_to(viewer, "user_id"), id=checkin_id).first()
    if checkin is None:
        raise not_found("check-in")
    return checkin


async def access_photo(viewer: Viewer, photo_id: int) -> Photo:
    """The uploader sees a photo; others only through a check-in, contract or expense claim they may see."""
    photo = await Photo.get_or_none(id=photo_id)
    if photo is None:
        raise not_found("photo")
    if photo.uploader_id == viewer.id:
        return photo
    if photo.checkin_id is not None:
        with found_as("photo"):
            await access_checkin(viewer, photo.checkin_id)
        return photo
    if await sees_through_record(viewer, photo_id) or await _attached_where_seen(viewer, photo):
        return photo
    raise not_found("photo")


async def _attached_where_seen(viewer: Viewer, photo: Photo) -> bool:
    """Whether the photo is attached to a post or chat message the viewer may see.

    Only its uploader can attach a photo nobody else sees yet, so the posts
    and messages to look through are the uploader's own since the upload.
    """
    from server.models.chat import ConversationMember, Message
    from server.queries.feed import visible_items

    posts = await column(visible_items(viewer).filter(
        author_id=photo.uploader_id, created_at__gte=photo.created_at
    ), "attachments")
    if any(_names_photo(attachments, photo.id) for attachments in posts):
        return True
    conversations = await column(ConversationMember.filter(
        user_id=viewer.id, left_at__isnull=True, conversation__deleted_at__isnull=True
    ), "conversation_id")
    messages = await column(Message.filter(
        sender_id=photo.uploader_id, created_at__gte=photo.created_at, deleted=False,
        conversation_id__in=list(conversations),
    ), "attachments")
    return any(_names_photo(attachments, photo.id) for attachments in messages)


def _names_photo(attachments: Any, photo_id: int) -> bool:
    for item in attachments or []:
        if item == photo_id or (isinstance(item, dict) and item.get("type") in ("photo", "file")
                                and item.get("id") == photo_id):
            return True
    return False


async def list_activities(
    viewer: Viewer,
    *,
    limit: int,
    cursor: str | None,
    customer_id: int | None = None,
    author_id: int | None = None,
    kind: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, Any]:
    """Newest first; the filters narrow what the viewer may see, never widen it."""
    qs = Activity.filter(visible_to(viewer, "author_id"))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if author_id is not None:
        qs = qs.filter(author_id=author_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page([render_activity(a) for a in rows], next_cursor)
