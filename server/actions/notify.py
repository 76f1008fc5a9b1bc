"""Putting a notification in people's inboxes (and on their sockets)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.events import EventType
from server.models.notifications import Notification
from server.render.notifications import render_notification
from server.transaction import atomic, emit

KINDS = ("mention", "comment", "reminder", "task", "announcement", "system", "approval")


async def notify(
    user_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    *,
    link_type: str | None = None,
    link_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> list[Notification]:
    """One notification per user, each with a `notification.new` event to that user.

    Joins the caller's transaction, so the notification exists exactly when
    the change that caused it does.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    created = []
    async with atomic():
        for user_id in sorted(set(user_ids)):
            note = await Notification.create(
                user_id=user_id, kind=kind, title=title[:300], body=body,
                link_type=link_type, link_id=link_id, data=data or {},
            )
            emit(EventType.NOTIFICATION_NEW, [user_id], render_notification(note))
            created.append(note)
    return created
