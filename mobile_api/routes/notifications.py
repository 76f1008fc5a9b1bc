"""The inbox (消息), announcements and notification preferences."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import notifications as s
from server.actions import announcements, inbox
from server.queries import feed as feed_q
from server.queries import notifications as q


@api.get("/api/v1/notifications", query=s.NotificationsQuery, response=s.NotificationPage)
async def list_notifications(call: Call) -> Any:
    """The caller's notifications, newest first; filter by kind and unread."""
    qp = call.query
    return await q.list_notifications(call.user_id, qp.limit, qp.cursor, qp.kind, qp.unread)


@api.post("/api/v1/notifications/read", body=s.ReadIn, response=s.ReadOut)
async def mark_read(call: Call) -> Any:
    """Mark some ({"ids": [...]}) or all ({"all": true}) notifications read."""
    return {"updated": await inbox.mark_read(call.viewer, call.body.ids, call.body.all)}


@api.get("/api/v1/notifications/unread-counts", response=s.UnreadCounts)
async def unread_counts(call: Call) -> Any:
    """Unread notifications per kind, and unread chat messages."""
    return await q.unread_counts(call.user_id)


@api.post("/api/v1/announcements", body=s.AnnouncementIn, response=s.Announcement, status=201,
          idempotent=True, errors=(403,))
async def announce(call: Call) -> Any:
    """Announce to a department (managers: theirs; admins: any, or everyone)."""
    b = call.body
    made = await announcements.announce(call.viewer, b.title, b.body, b.department_id)
    item = (await feed_q.render_items(call.viewer, [made.item]))[0]
    return {"id": made.item.id, "title": made.title, "body": b.body, "department_ids": made.department_ids,
            "recipient_count": len(made.recipient_ids), "item": item, "created_at": item["created_at"]}


@api.get("/api/v1/me/preferences", response=s.Preferences)
async def get_preferences(call: Call) -> Any:
    """Which kinds come by email and by push, and quiet hours (in the caller's time zone)."""
    return q.render_preferences(await q.preferences(call.user_id), call.viewer.user.timezone)


@api.put("/api/v1/me/preferences", body=s.PreferencesIn, response=s.Preferences)
async def put_preferences(call: Call) -> Any:
    """Turn email and push kinds on or off, set (or clear, with null) quiet hours, and say whether reminders are pushed in them."""
    pref = await inbox.set_preferences(call.viewer, call.body.changes())
    return q.render_preferences(pref, call.viewer.user.timezone)
