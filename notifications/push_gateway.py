"""One small interface in front of every push service: Web Push, FCM, APNs.

A sender takes one device and one payload and says what became of it; the
outbox (notifications/push.py) turns that into sent, retry later, forget the
device, or give up. Senders exist only for what is configured
(`Settings.push_senders`): a server without FCM or APNs settings queues no
pushes for such devices, sends nothing and fails nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol

from server.models.push import PushSubscription
from server.settings import Settings


class Outcome(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # the service no longer knows this device: forget it
    RETRY = "retry"  # try again later (network, 429, 5xx)
    FAILED = "failed"  # refused for good (malformed, too large): do not try again


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""
    retry_after_s: float | None = None


class Sender(Protocol):
    async def send(self, subscription: PushSubscription, payload: dict[str, Any]) -> Result: ...

    async def close(self) -> None: ...


def result_for_status(status: int, detail: str = "", retry_after: str | None = None) -> Result:
    """The common reading of a push service's HTTP answer."""
    if 200 <= status < 300:
        return Result(Outcome.SENT)
    error = f"HTTP {status} {detail}".strip()[:500]
    if status in (404, 410):
        return Result(Outcome.GONE, error)
    if status == 429 or status >= 500 or status == 408:
        return Result(Outcome.RETRY, error, _seconds(retry_after))
    return Result(Outcome.FAILED, error)


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the back-off decides


@dataclass
class Gateway:
    """The senders by subscription kind."""

    senders: dict[str, Sender] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, vapid_private_key: str) -> Gateway:
        # Each sender's HTTP client library is imported only where that sender exists
        # (the Web Push one: on its first push), so a server starts without them.
        from notifications.push_webpush import WebPushSender

        senders: dict[str, Sender] = {"webpush": WebPushSender(vapid_private_key, settings)}
        if "fcm" in settings.push_senders:
            from notifications.push_fcm import FcmSender

            senders["fcm"] = FcmSender(settings)
        if "apns" in settings.push_senders:
            from notifications.push_apns import ApnsSender

            senders["apns"] = ApnsSender(settings)
        return cls(senders)

    async def send(self, subscription: PushSubscription, payload: dict[str, Any]) -> Result:
        sender = self.senders.get(subscription.kind)
        if sender is None:
            return Result(Outcome.FAILED, f"no {subscription.kind} sender is configured")
        return await sender.send(subscription, payload)

    async def close(self) -> None:
        for sender in self.senders.values():
            await sender.close()
