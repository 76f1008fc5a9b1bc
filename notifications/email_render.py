"""A digest email: a plain-text part and an HTML part, each with deep links,
in the recipient's language with times on their clock (server.i18n)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from server.i18n import MESSAGES, Text, render
from server.models.identity import User
from server.models.notifications import Notification


def deep_link(base_url: str, link_type: str | None, link_id: int | None) -> str:
    """Where the web app opens the record (`/app/<type>/<id>`), else the inbox."""
    base = base_url.rstrip("/")
    if link_type and link_id:
        return f"{base}/app/{link_type}/{link_id}"
    return f"{base}/app/notifications"


def _say(user: User, key: str, **params: object) -> str:
    return render(Text(key, **params), user.language, user.timezone)


def _item(user: User, note: Notification) -> str:
    kind = Text(f"kind.{note.kind}") if f"kind.{note.kind}" in MESSAGES else note.kind
    return _say(user, "email.item", kind=kind, title=note.title, at=note.created_at)


def digest_subject(user: User, notes: Sequence[Notification]) -> str:
    first = notes[0].title
    return first if len(notes) == 1 else _say(user, "email.subject.more", first=first, count=len(notes) - 1)


def digest_text(user: User, notes: Sequence[Notification], base_url: str) -> str:
    lines = [_say(user, "email.hello", name=user.name), "", _say(user, "email.while_away"), ""]
    for note in notes:
        lines.append(f"* {_item(user, note)}")
        if note.body:
            lines.append(f"  {note.body}")
        lines.append(f"  {deep_link(base_url, note.link_type, note.link_id)}")
        lines.append("")
    lines.append(f"{_say(user, 'email.settings')}: {base_url.rstrip('/')}/app/settings/notifications")
    return "\n".join(lines)


def digest_html(user: User, notes: Sequence[Notification], base_url: str) -> str:
    items = "".join(
        f'<li><a href="{html.escape(deep_link(base_url, n.link_type, n.link_id), quote=True)}">'
        f'{html.escape(_item(user, n))}</a>'
        + (f"<br>{html.escape(n.body)}" if n.body else "") + "</li>"
        for n in notes
    )
    settings_link = html.escape(f"{base_url.rstrip('/')}/app/settings/notifications", quote=True)
    return (
        f'<!doctype html><html lang="{html.escape(user.language)}"><body>'
        f'<p>{html.escape(_say(user, "email.hello", name=user.name))}</p>'
        f'<p>{html.escape(_say(user, "email.while_away"))}</p>'
        f'<ul>{items}</ul><p><a href="{settings_link}">{html.escape(_say(user, "email.settings"))}</a></p>'
        "</body></html>"
    )
