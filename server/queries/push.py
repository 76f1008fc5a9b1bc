"""Reading the caller's push subscriptions."""

from __future__ import annotations

from typing import Any

from server.models.push import PushSubscription


async def list_subscriptions(user_id: int, session_id: int | None) -> list[dict[str, Any]]:
    """The caller's devices, oldest first; never their addresses or keys."""
    rows = await PushSubscription.filter(user_id=user_id).order_by("id")
    return [{"id": r.id, "kind": r.kind, "this_device": r.session_id == session_id,
             "created_at": r.created_at.isoformat()} for r in rows]
