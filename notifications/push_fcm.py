"""Firebase Cloud Messaging, HTTP v1 API, for Android apps.

A service account (its JSON key file: `FIELDLINE_FCM_SERVICE_ACCOUNT_FILE`)
signs a JWT (RS256) that its `token_uri` trades for an OAuth2 access token
(kept until shortly before it expires); each push is one POST to
`/v1/projects/<project_id>/messages:send` with that token.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import jwt

from notifications.push_gateway import Outcome, Result, result_for_status
from server.models.push import PushSubscription
from server.settings import Settings

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TIMEOUT_S = 10.0
TOKEN_MARGIN_S = 120  # fetch a new access token this long before the old one ends


class FcmSender:
    def __init__(self, settings: Settings) -> None:
        with open(settings.fcm_service_account_file or "", encoding="utf-8") as handle:
            account = json.load(handle)
        self.email: str = account["client_email"]
        self.key: str = account["private_key"]
        self.key_id: str | None = account.get("private_key_id")
        self.token_uri: str = account.get("token_uri") or "https://oauth2.googleapis.com/token"
        self.url = f"{settings.fcm_api_url.rstrip('/')}/v1/projects/{account['project_id']}/messages:send"
        self.ttl_s = settings.push_ttl_s
        self.client = httpx.AsyncClient(timeout=TIMEOUT_S)
        self._token: tuple[str, float] | None = None
        self._lock = asyncio.Lock()

    async def _access_token(self) -> str:
        async with self._lock:
            if self._token is None or time.time() > self._token[1]:
                now = int(time.time())
                claims = {"iss": self.email, "scope": SCOPE, "aud": self.token_uri, "iat": now, "exp": now + 3600}
                assertion = jwt.encode(claims, self.key, algorithm="RS256",
                                       headers={"kid": self.key_id} if self.key_id else None)
                answer = await self.client.post(self.token_uri, data={"grant_type": GRANT_TYPE, "assertion": assertion})
                answer.raise_for_status()
                data = answer.json()
                lifetime = float(data.get("expires_in", 3600))
                self._token = (data["access_token"], now + max(lifetime - TOKEN_MARGIN_S, 1.0))
            return self._token[0]

    def message(self, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        tag = str(payload.get("tag", ""))
        return {"message": {
            "token": token,
            "notification": {"title": payload["title"], "body": payload["body"]},
            "data": {k: str(payload[k]) for k in ("url", "kind", "tag") if k in payload},
            "android": {"priority": "high", "ttl": f"{self.ttl_s}s", "collapse_key": tag,
                        "notification": {"tag": tag}},
        }}

    async def send(self, subscription: PushSubscription, payload: dict[str, Any]) -> Result:
        try:
            token = await self._access_token()
            answer = await self.client.post(self.url, json=self.message(subscription.token or "", payload),
                                            headers={"Authorization": f"Bearer {token}"})
        except (httpx.HTTPError, KeyError, ValueError) as error:
            return Result(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])
        if answer.status_code == 401:
            self._token = None  # revoked or expired early: the next try fetches a new one
            return Result(Outcome.RETRY, "HTTP 401 from FCM")
        return result_for_status(answer.status_code, answer.text[:300], answer.headers.get("retry-after"))

    async def close(self) -> None:
        await self.client.aclose()
