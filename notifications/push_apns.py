"""Apple Push Notification service over HTTP/2 with token authentication, for iOS apps.

A provider token (ES256 JWT with `iss` = team id and `kid` = key id, signed
with the .p8 key of `FIELDLINE_APNS_KEY_FILE`) is reused for 50 minutes, as
Apple asks; each push is one POST to `/3/device/<token>` on one HTTP/2
connection (httpx with h2).
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import orjson

from notifications.push_gateway import Outcome, Result, result_for_status
from server.models.push import PushSubscription
from server.settings import Settings

TIMEOUT_S = 10.0
TOKEN_REUSE_S = 50 * 60
GONE_REASONS = frozenset({"BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered"})


class ApnsSender:
    def __init__(self, settings: Settings) -> None:
        with open(settings.apns_key_file or "", encoding="utf-8") as handle:
            self.key = handle.read()
        self.key_id = settings.apns_key_id or ""
        self.team_id = settings.apns_team_id or ""
        self.topic = settings.apns_topic or ""
        self.base = settings.apns_url.rstrip("/")
        self.ttl_s = settings.push_ttl_s
        # HTTP/2 only: over https it is negotiated, over http (a local double) spoken from the start.
        self.client = httpx.AsyncClient(http1=False, http2=True, timeout=TIMEOUT_S)
        self._token: tuple[str, float] | None = None

    def provider_token(self) -> str:
        now = time.time()
        if self._token is None or now - self._token[1] > TOKEN_REUSE_S:
            signed = jwt.encode({"iss": self.team_id, "iat": int(now)}, self.key, algorithm="ES256",
                                headers={"kid": self.key_id})
            self._token = (signed, now)
        return self._token[0]

    def headers(self, payload: dict[str, Any]) -> dict[str, str]:
        headers = {
            "authorization": f"bearer {self.provider_token()}",
            "apns-topic": self.topic, "apns-push-type": "alert",
            "apns-priority": "10", "apns-expiration": str(int(time.time()) + self.ttl_s),
        }
        if payload.get("tag"):
            headers["apns-collapse-id"] = str(payload["tag"])[:64]
        return headers

    @staticmethod
    def body(payload: dict[str, Any]) -> bytes:
        return orjson.dumps({
            "aps": {"alert": {"title": payload["title"], "body": payload["body"]}, "sound": "default",
                    "thread-id": payload.get("kind", "")},
            "url": payload.get("url"), "kind": payload.get("kind"),
        })

    async def send(self, subscription: PushSubscription, payload: dict[str, Any]) -> Result:
        url = f"{self.base}/3/device/{subscription.token}"
        try:
            answer = await self.client.post(url, content=self.body(payload), headers=self.headers(payload))
        except httpx.HTTPError as error:
            return Result(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])
        reason = _reason(answer)
        if answer.status_code == 400 and reason in GONE_REASONS:
            return Result(Outcome.GONE, f"HTTP 400 {reason}")
        if answer.status_code == 403 and reason == "ExpiredProviderToken":
            self._token = None
            return Result(Outcome.RETRY, "HTTP 403 ExpiredProviderToken")
        return result_for_status(answer.status_code, reason, answer.headers.get("retry-after"))

    async def close(self) -> None:
        await self.client.aclose()


def _reason(answer: httpx.Response) -> str:
    try:
        return str(orjson.loads(answer.content).get("reason", "")) if answer.content else ""
    except (orjson.JSONDecodeError, AttributeError):
        return ""
