"""Reading the inbox (消息) and notification preferences."""

from __future__ import annotations

from typing import Any

from tortoise.functions import Count

from server.actions.notify import KINDS
from server.actions.push import PUSH_KINDS
from server.models.notifications import Notification, NotificationPreference
from server.paging import newest_first, page
from server.render.notifications import render_notification

EMAIL_KINDS = ("mention", "reminder", "task")


async def list_notifications(
    user_id: int, limit: int, cursor: str | None, kind: str | None = None, unread: bool | None = None
) -> dict[str, Any]:
    qs = Notification.filter(user_id=user_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if unread is not None:
        qs = qs.filter(read=not unread)
    rows, next_cursor = await newest_first(qs, limit, cursor)
    return page([render_notification(n) for n in rows], next_cursor)


async def unread_counts(user_id: int) -> dict[str, int]:
    """Unread notifications per kind (every kind named, zeros too) plus unread chat messages."""
    rows = await (
        Notification.filter(user_id=user_id, read=False)
        .annotate(n=Count("id")).group_by("kind").values_list("kind", "n")
    )
    counts = {kind: 0 for kind in KINDS}
    counts.update({kind: n for kind, n in rows})
    counts["chat"] = await _chat_unread(user_id)
    return counts


async def _chat_unread(user_id: int) -> int:
    from server.queries.chat import total_unread

    return await total_unread(user_id)


async def preferences(user_id: int) -> NotificationPreference:
    """The stored preferences, or the defaults (every email kind on, no quiet hours)."""
    found = await NotificationPreference.get_or_none(user_id=user_id)
    return found or NotificationPreference(user_id=user_id, email_kinds={}, push_kinds={})


def render_preferences(pref: NotificationPreference, timezone: str) -> dict[str, Any]:
    kinds = pref.email_kinds or {}
    quiet = {"start": pref.quiet_start, "end": pref.quiet_end} if pref.quiet_start else None
    pushed = pref.push_kinds or {}
    return {"email": {k: bool(kinds.get(k, True)) for k in EMAIL_KINDS},
            "push": {k: bool(pushed.get(k, True)) for k in PUSH_KINDS}, "quiet_hours": quiet,
            "reminders_in_quiet_hours": pref.reminders_in_quiet_hours, "timezone": timezone}
