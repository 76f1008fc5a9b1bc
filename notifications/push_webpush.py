"""Web Push (RFC 8030) with aes128gcm payloads (RFC 8291) and VAPID (RFC 8292), by pywebpush.

pywebpush's `webpush_async` encrypts, signs and posts through one aiohttp
session per process, so sending never blocks the event loop on `requests`.
aiohttp and pywebpush (with `requests`) are imported at the first push, not
when the server starts: most servers' first push comes long after, if ever.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import orjson
from py_vapid import Vapid02

from notifications.push_gateway import Outcome, Result, result_for_status
from server.models.push import PushSubscription
from server.settings import Settings

if TYPE_CHECKING:
    import aiohttp

TIMEOUT_S = 10.0


class WebPushSender:
    def __init__(self, vapid_private_key: str, settings: Settings) -> None:
        self.vapid = Vapid02.from_raw(vapid_private_key.encode())
        self.subject = settings.vapid_subject
        self.ttl_s = settings.push_ttl_s
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._session is None:  # made in the running loop, on first use
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
        return self._session

    async def send(self, subscription: PushSubscription, payload: dict[str, Any]) -> Result:
        import aiohttp
        from pywebpush import WebPushException, webpush_async

        info = {"endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        headers = {"Urgency": "high" if payload.get("kind") == "reminder" else "normal"}
        if payload.get("tag"):
            headers["Topic"] = str(payload["tag"])[:32]  # a newer push with the same topic replaces one not yet delivered
        try:
            await webpush_async(
                info, data=orjson.dumps(payload), vapid_private_key=self.vapid,
                vapid_claims={"sub": self.subject}, ttl=self.ttl_s, headers=headers,
                aiohttp_session=self._client(), timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
            )
        except WebPushException as error:
            if error.response is None:
                return Result(Outcome.FAILED, error.message[:500])
            return result_for_status(error.status_code or 0, error.message.split("\n")[0], error.retry_after)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            return Result(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])
        return Result(Outcome.SENT)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
