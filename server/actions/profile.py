"""A person changing their own profile (`PATCH /api/v1/me`)."""

from __future__ import annotations

from typing import Any

from server import control
from server.access import Viewer
from server.actions.inbox import set_preferences
from server.actions.users import check_timezone
from server.errors import invalid_field
from server.models.identity import User
from server.transaction import atomic, on_commit

# What a person may change about themselves; who they are (name, title, role,
# department) is for administrators.
PROFILE_FIELDS = ("email", "mobile", "timezone", "language")
ADMIN_FIELDS = ("login", "name", "title", "role", "department_id", "managed_department_ids", "active", "password")


async def update_profile(viewer: Viewer, data: dict[str, Any]) -> User:
    """Apply the given profile fields (null clears email or mobile) and, under
    `preferences`, the same changes `PUT /api/v1/me/preferences` takes.
    Naming a field only an administrator changes is a 422 on it."""
    for name in ADMIN_FIELDS:
        if name in data:
            raise invalid_field(name, "is changed by an administrator, not through /me")
    if data.get("timezone") is not None:
        check_timezone(data["timezone"])
    async with atomic():
        user = await User.select_for_update().get(id=viewer.id)
        changed = [name for name in PROFILE_FIELDS if name in data and getattr(user, name) != data[name]]
        for name in changed:
            setattr(user, name, data[name])
        if changed:
            await user.save(update_fields=[*changed, "updated_at"])
            # Signed-in callers are remembered with their profile (time zone, language).
            on_commit(control.people_changed)
        if data.get("preferences"):
            await set_preferences(viewer, data["preferences"])
    return user
