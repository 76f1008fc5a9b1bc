"""Putting a notification in people's inboxes (and on their sockets)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.actions.push import PUSH_KINDS, PushNote, queue_pushes
from server.events import EventType
from server.i18n import Text, render
from server.models.notifications import Notification
from server.queries.identity import Reader, readers_of
from server.render.notifications import render_notification
from server.transaction import atomic, emit

KINDS = ("mention", "comment", "reminder", "task", "announcement", "system", "approval")


async def notify(
    user_ids: Iterable[int],
    kind: str,
    title: str | Text,
    body: str | Text = "",
    *,
    link_type: str | None = None,
    link_id: int | None = None,
    data: Mapping[str, Any] | None = None,
    readers: dict[int, Reader] | None = None,
) -> list[Notification]:
    """One notification per user, each with a `notification.new` event to that user.

    A `Text` title or body is written in each recipient's language, its times
    on their clock (`readers`: their language and time zone, when the caller
    has them already).

    Joins the caller's transaction, so the notification exists exactly when
    the change that caused it does; so do the pushes it queues to the
    recipients' devices (server/actions/push.py).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    created, pushes = [], []
    user_ids = sorted(set(user_ids))
    if readers is None and (isinstance(title, Text) or isinstance(body, Text)):
        readers = await readers_of(user_ids)
    async with atomic():
        for user_id in user_ids:
            language, timezone = (readers or {}).get(user_id, (None, None))
            note = await Notification.create(
                user_id=user_id, kind=kind, title=render(title, language, timezone)[:300],
                body=render(body, language, timezone),
                link_type=link_type, link_id=link_id, data=dict(data or {}),
            )
            event = emit(EventType.NOTIFICATION_NEW, [user_id], render_notification(note))
            created.append(note)
            pushes.append(PushNote(user_id, event, f"notification-{note.id}", note.title, note.body))
        if kind in PUSH_KINDS and pushes:
            await queue_pushes(kind, link_type, link_id, pushes)
    return created
