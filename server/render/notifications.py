"""Notification as the API shows it."""

from __future__ import annotations

from server.events import NotificationPayload
from server.models.notifications import Notification
from server.render import iso


def render_notification(n: Notification) -> NotificationPayload:
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "link": {"type": n.link_type, "id": n.link_id},
        "data": n.data or {},
        "read": n.read,
        "created_at": iso(n.created_at),
    }
