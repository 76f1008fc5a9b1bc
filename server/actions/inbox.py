"""Marking notifications read and changing notification preferences."""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.models.notifications import Notification, NotificationPreference
from server.transaction import atomic


async def mark_read(viewer: Viewer, ids: list[int] | None, everything: bool) -> int:
    """Mark the viewer's notifications read (ids of others' are ignored); returns how many changed."""
    async with atomic():
        qs = Notification.filter(user_id=viewer.id, read=False)
        if not everything:
            qs = qs.filter(id__in=sorted(set(ids or [])))
        return await qs.update(read=True)


async def set_preferences(viewer: Viewer, changes: dict[str, Any]) -> NotificationPreference:
    """Apply `{"email": {kind: bool}, "push": {kind: bool}, "quiet_hours": {"start", "end"} | None,
    "reminders_in_quiet_hours": bool}` (each optional)."""
    async with atomic():
        pref, _ = await NotificationPreference.get_or_create(user_id=viewer.id)
        if "email" in changes:
            pref.email_kinds = {**(pref.email_kinds or {}), **changes["email"]}
        if "push" in changes:
            pref.push_kinds = {**(pref.push_kinds or {}), **changes["push"]}
        if "reminders_in_quiet_hours" in changes:
            pref.reminders_in_quiet_hours = bool(changes["reminders_in_quiet_hours"])
        if "quiet_hours" in changes:
            quiet = changes["quiet_hours"] or {}
            pref.quiet_start, pref.quiet_end = quiet.get("start"), quiet.get("end")
        await pref.save()
    return pref
