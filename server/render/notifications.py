"""Notification as the API shows it."""

from __future__ import annotations

from typing import Any

from server.models.notifications import Notification
from server.render import iso


def render_notification(n: Notification) -> dict[str, Any]:
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
