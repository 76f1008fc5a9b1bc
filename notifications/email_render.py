"""A digest email: a plain-text part and an HTML part, each with deep links."""

from __future__ import annotations

import html
from collections.abc import Sequence

from server.models.notifications import Notification

KIND_LABELS = {"mention": "Mentioned", "reminder": "Reminder", "task": "Task"}


def deep_link(base_url: str, link_type: str | None, link_id: int | None) -> str:
    """Where the web app opens the record (`/app/<type>/<id>`), else the inbox."""
    base = base_url.rstrip("/")
    if link_type and link_id:
        return f"{base}/app/{link_type}/{link_id}"
    return f"{base}/app/notifications"


def digest_subject(notes: Sequence[Notification]) -> str:
    first = notes[0].title
    return first if len(notes) == 1 else f"{first} (+{len(notes) - 1} more)"


def digest_text(name: str, notes: Sequence[Notification], base_url: str) -> str:
    lines = [f"Hello {name},", "", "While you were away:", ""]
    for note in notes:
        lines.append(f"* [{KIND_LABELS.get(note.kind, note.kind)}] {note.title}")
        if note.body:
            lines.append(f"  {note.body}")
        lines.append(f"  {deep_link(base_url, note.link_type, note.link_id)}")
        lines.append("")
    lines.append(f"Email settings: {base_url.rstrip('/')}/app/settings/notifications")
    return "\n".join(lines)


def digest_html(name: str, notes: Sequence[Notification], base_url: str) -> str:
    items = "".join(
        f'<li><strong>{html.escape(KIND_LABELS.get(n.kind, n.kind))}</strong> '
        f'<a href="{html.escape(deep_link(base_url, n.link_type, n.link_id), quote=True)}">{html.escape(n.title)}</a>'
        + (f"<br>{html.escape(n.body)}" if n.body else "") + "</li>"
        for n in notes
    )
    settings_link = html.escape(f"{base_url.rstrip('/')}/app/settings/notifications", quote=True)
    return (
        f'<!doctype html><html><body><p>Hello {html.escape(name)},</p><p>While you were away:</p>'
        f'<ul>{items}</ul><p><a href="{settings_link}">Email settings</a></p></body></html>'
    )
