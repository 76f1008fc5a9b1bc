"""Email digests: mentions, reminders and task assignments for people who are away.

A person gets an email when they have held no live socket for
`email_after_minutes`, and at most one per `email_digest_minutes`: everything
unread that arrived while they were away goes into that one digest. Kinds they
turned off, and notifications that arrived while they were online (their
phone showed them), are never emailed. During their quiet hours (in their
own time zone) nothing is sent; it waits for the end of the quiet hours.
"""

from __future__ import annotations

import datetime as dt

from notifications import email_render
from server.actions.emails import queue_digest, skip_for_email
from server.clock import utcnow
from server.localdays import in_quiet_hours
from server.models.identity import User
from server.models.notifications import Notification, NotificationPreference
from server.presence import offline_since
from server.settings import get_settings

EMAIL_KINDS = ("mention", "reminder", "task")


async def send_due_digests() -> int:
    """Queue one digest email per person whose digest is due; returns how many were queued."""
    settings = get_settings()
    now = utcnow()
    pending = await Notification.filter(emailed=False, read=False, kind__in=EMAIL_KINDS).order_by("id")
    by_user: dict[int, list[Notification]] = {}
    for note in pending:
        by_user.setdefault(note.user_id, []).append(note)
    if not by_user:
        return 0
    away = await offline_since(by_user)
    users = {u.id: u for u in await User.filter(id__in=sorted(by_user))}
    prefs = {p.user_id: p for p in await NotificationPreference.filter(user_id__in=sorted(by_user))}
    queued = 0
    after = dt.timedelta(minutes=settings.email_after_minutes)
    for user_id, notes in by_user.items():
        since, user = away.get(user_id), users.get(user_id)
        if since is None or user is None or now - since < after:
            continue  # online now, or not away long enough yet
        queued += await _digest_for(user, notes, since, prefs.get(user_id), now)
    return queued


async def _digest_for(
    user: User, notes: list[Notification], since: dt.datetime, pref: NotificationPreference | None, now: dt.datetime
) -> int:
    settings = get_settings()
    enabled = (pref.email_kinds if pref else None) or {}
    wanted = [n for n in notes if enabled.get(n.kind, True) and n.created_at >= since]
    never = [n.id for n in notes if n not in wanted]
    if not user.email or not user.active:
        never += [n.id for n in wanted]
        wanted = []
    await skip_for_email(never)
    if not wanted or (pref and in_quiet_hours(pref.quiet_start, pref.quiet_end, user.timezone, now)):
        return 0
    base = settings.public_base_url
    opened = await queue_digest(
        user, [n.id for n in wanted], email_render.digest_subject(user, wanted),
        email_render.digest_text(user, wanted, base), email_render.digest_html(user, wanted, base),
        now, dt.timedelta(minutes=settings.email_digest_minutes),
    )
    return int(opened)
