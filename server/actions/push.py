"""Push: devices registering, pushes queued with the events that cause them,
and the push outbox's state changes. Sending is `notifications.push`; the
whole design is in docs/push.md.

A push is queued in the transaction of the notification (or direct message)
that causes it, one outbox row per device, and carries the recipient's seq of
that event. It waits `push_ack_wait_s` before it may go: a socket of the same
session (the same device) that acknowledges the seq meanwhile (`received`
frame) cancels it, so a device that showed the event live is not pushed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tortoise.exceptions import IntegrityError

from server.access import Viewer
from server.actions.claims import claim_due
from server import runtime, vapid
from server.errors import invalid, not_found
from server.localdays import in_quiet_hours
from server.models.identity import User
from server.models.notifications import NotificationPreference
from server.models.push import PushOutbox, PushSubscription
from server.queries.orm import column
from server.settings import get_settings
from server.clock import utcnow
from server.transaction import Emitted, atomic, before_commit, on_commit

PUSH_KINDS = ("mention", "reminder", "task", "approval", "announcement", "chat")
TITLE_CHARS = 80
BODY_CHARS = 160
MAX_PER_USER = 20  # devices; registering one more drops the oldest
LEASE_S = 60.0  # a sender that dies mid-send gives its pushes back after this
MAX_BACKOFF_S = 3600.0
MAX_ATTEMPTS = 15


@dataclass(frozen=True)
class PushNote:
    """One recipient of a push: the event it follows, the tag that collapses repeats,
    and the text as written for them (their language, their clock)."""

    user_id: int
    event: Emitted
    tag: str
    title: str
    body: str


def address_hash(kind: str, address: str) -> str:
    return hashlib.sha256(f"{kind}\n{address}".encode()).hexdigest()


def deep_link(link_type: str | None, link_id: int | None) -> str:
    return f"/app/{link_type}/{link_id}" if link_type and link_id is not None else "/app"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def register(
    viewer: Viewer, session_id: int, kind: str, address: str, keys: dict[str, str] | None = None
) -> PushSubscription:
    """Register this device (the caller's session) for push; the same address again moves it here."""
    fields: dict[str, Any] = {"user_id": viewer.id, "session_id": session_id, "kind": kind}
    if kind == "webpush":
        _check_webpush(address, keys or {})
        fields.update(endpoint=address, p256dh=(keys or {})["p256dh"], auth=(keys or {})["auth"], token=None)
    else:
        fields.update(token=address, endpoint=None, p256dh=None, auth=None)
    digest = address_hash(kind, address)
    try:
        return await _upsert(digest, fields)
    except IntegrityError:  # a concurrent registration of the same address won; take it over
        return await _upsert(digest, fields)


def _check_webpush(endpoint: str, keys: dict[str, str]) -> None:
    allowed = {"https", "http"} if get_settings().push_allow_http else {"https"}
    parts = urlsplit(endpoint)
    problems = vapid.subscription_key_problems(keys.get("p256dh", ""), keys.get("auth", ""))
    if parts.scheme not in allowed or not parts.hostname:
        problems["endpoint"] = "must be the https URL of the browser's push service"
    if problems:
        raise invalid(problems)


async def _upsert(digest: str, fields: dict[str, Any]) -> PushSubscription:
    async with atomic():
        found = await PushSubscription.select_for_update().get_or_none(address_hash=digest)
        if found is None:
            found = await PushSubscription.create(address_hash=digest, **fields)
        else:
            await PushSubscription.filter(id=found.id).update(**fields)
            await PushOutbox.filter(subscription_id=found.id, state="queued").delete()  # not for the new owner
        keep = await column(PushSubscription.filter(user_id=fields["user_id"]).order_by("-id").limit(
            MAX_PER_USER), "id")
        await PushSubscription.filter(user_id=fields["user_id"]).exclude(id__in=list(keep)).delete()
    return found


async def remove(viewer: Viewer, subscription_id: int) -> None:
    async with atomic():
        if not await PushSubscription.filter(id=subscription_id, user_id=viewer.id).delete():
            raise not_found("push subscription")


async def forget_sessions(session_ids: list[int]) -> None:
    """The devices of ended sessions get no more pushes (called with the revocation)."""
    async with atomic():
        await PushSubscription.filter(session_id__in=session_ids).delete()


async def acknowledge(user_id: int, session_id: int, up_to_seq: int) -> int:
    """A socket of this session has every event up to `up_to_seq`: its pending pushes are dropped."""
    async with atomic():
        return await PushOutbox.filter(
            user_id=user_id, session_id=session_id, state="queued", seq__lte=up_to_seq
        ).update(state="acked")


async def queue_pushes(kind: str, link_type: str | None, link_id: int | None, notes: list[PushNote]) -> None:
    """Queue one push per registered device of each recipient who wants this kind now.

    Joins the caller's transaction; the rows are written just before commit,
    when each event has its seq.
    """
    settings = get_settings()
    subscriptions = await PushSubscription.filter(
        user_id__in=sorted({n.user_id for n in notes}), kind__in=sorted(settings.push_senders)
    ).values("id", "user_id", "session_id")
    if not subscriptions:
        return
    now = utcnow()
    wanted = await _wanting(kind, {s["user_id"] for s in subscriptions}, now)
    due = now + dt.timedelta(seconds=settings.push_ack_wait_s)
    by_user = {n.user_id: n for n in notes}
    url = deep_link(link_type, link_id)
    chosen = [s for s in subscriptions if s["user_id"] in wanted]

    def payload(note: PushNote) -> dict[str, Any]:
        return {"title": _short(note.title, TITLE_CHARS), "body": _short(note.body, BODY_CHARS),
                "url": url, "kind": kind, "tag": note.tag}

    async def write() -> None:
        await PushOutbox.bulk_create([
            PushOutbox(subscription_id=s["id"], user_id=s["user_id"], session_id=s["session_id"],
                       seq=by_user[s["user_id"]].event.seqs.get(s["user_id"]), kind=kind,
                       payload=payload(by_user[s["user_id"]]), next_attempt_at=due)
            for s in chosen
        ])

    if chosen:
        before_commit(write)
        on_commit(lambda: _wake_sender(settings.push_ack_wait_s))


def _wake_sender(delay_s: float) -> None:
    """Wake the running app's push sender (its notifications service) `delay_s` from now."""
    app = runtime.active()
    if app is not None and app.push_sender is not None:
        app.push_sender.wake(delay_s)


async def _wanting(kind: str, user_ids: set[int], now: dt.datetime) -> set[int]:
    """Who gets this kind pushed now: kind on, and not in quiet hours (reminders may pass)."""
    prefs = {p.user_id: p for p in await NotificationPreference.filter(user_id__in=sorted(user_ids))}
    zones = dict(await User.filter(id__in=sorted(user_ids), active=True).values_list("id", "timezone"))
    wanted = set()
    for user_id, timezone in zones.items():
        pref = prefs.get(user_id)
        if pref is None:
            wanted.add(user_id)
            continue
        if not (pref.push_kinds or {}).get(kind, True):
            continue
        quiet = in_quiet_hours(pref.quiet_start, pref.quiet_end, timezone, now)
        if quiet and not (kind == "reminder" and pref.reminders_in_quiet_hours):
            continue
        wanted.add(user_id)
    return wanted


async def claim_pushes(holder: str, now: dt.datetime, limit: int) -> list[PushOutbox]:
    """Take up to `limit` due pushes for sending; the lease keeps other processes off them."""
    async with atomic():
        rows = await claim_due(
            "push_outbox", due="state = 'queued' AND next_attempt_at <= ?", due_params=[now],
            order_by="next_attempt_at, id", limit=limit,
            set_sql="next_attempt_at = ?, claimed_by = ?",
            set_params=[now + dt.timedelta(seconds=LEASE_S), holder], returning="id",
        )
    ids = [row["id"] for row in rows]
    return await PushOutbox.filter(id__in=ids).select_related("subscription").order_by("id") if ids else []


async def mark_sent(push_ids: list[int], now: dt.datetime) -> None:
    if push_ids:
        async with atomic():
            await PushOutbox.filter(id__in=push_ids).update(state="sent", sent_at=now, last_error=None)


async def mark_retry(push: PushOutbox, error: str, now: dt.datetime, retry_after_s: float | None) -> None:
    """Try again after base · 2^(attempts − 1) seconds (or the service's Retry-After), at most an hour."""
    attempts = push.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        await mark_failed(push.id, error)
        return
    delay = min(get_settings().push_retry_base_s * 2 ** (attempts - 1), MAX_BACKOFF_S)
    if retry_after_s is not None:
        delay = min(max(delay, retry_after_s), MAX_BACKOFF_S)
    async with atomic():
        await PushOutbox.filter(id=push.id, state="queued").update(
            attempts=attempts, last_error=error[:2000], next_attempt_at=now + dt.timedelta(seconds=delay)
        )


async def mark_failed(push_id: int, error: str) -> None:
    """A push the service refused for good (malformed, too large): it is not tried again."""
    async with atomic():
        await PushOutbox.filter(id=push_id).update(state="failed", last_error=error[:2000])


async def forget_subscription(subscription_id: int) -> None:
    """The push service no longer knows this device (404/410): it and its pushes go."""
    async with atomic():
        await PushSubscription.filter(id=subscription_id).delete()


async def prune_outbox(before: dt.datetime) -> int:
    """Forget pushes that were sent, cancelled or failed before `before`."""
    async with atomic():
        return await PushOutbox.filter(state__in=["sent", "acked", "failed"], created_at__lt=before).delete()
