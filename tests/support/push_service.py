"""A local Web Push service (RFC 8030) for tests: it checks what a real one would.

Each subscription the test makes gets its own endpoint path and its own key
pair and auth secret (as a browser would make them). A push that arrives is
checked like a push service and a browser together would: the VAPID JWT
(RFC 8292: `vapid t=…,k=…`, ES256 under the key `k`, `aud` = this origin,
`exp` in the future and at most 24 h away, `sub` a mailto: or https: URL,
`k` = the server's public key), `Content-Encoding: aes128gcm` and a `TTL`;
then the body is decrypted (RFC 8291) with the subscription's private key
and auth secret. Anything wrong is recorded in `problems`.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    name: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    status: int = 201  # what the service answers for this device
    statuses: list[int] = field(default_factory=list)  # answered first, one per push, before `status`


@dataclass
class Push:
    device: str
    payload: dict[str, Any] | None
    headers: dict[str, str]
    claims: dict[str, Any] | None
    answered: int
    problems: list[str]


class PushService:
    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.received: list[Push] = []
        self.server_key: str | None = None  # the VAPID public key pushes must be signed with
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = service._receive(self.path, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A connection the server under test opened but never used must not hold up the shutdown.
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscription(self, name: str, status: int = 201, statuses: list[int] | None = None) -> dict[str, Any]:
        """A new device: the body a browser's app would POST to /api/v1/push/subscriptions."""
        key = ec.generate_private_key(ec.SECP256R1())
        device = Device(name, key, os.urandom(16), status, list(statuses or []))
        self.devices[name] = device
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"kind": "webpush", "endpoint": f"{self.origin}/push/{name}",
                "keys": {"p256dh": b64url(point), "auth": b64url(device.auth)}}

    def pushes(self, device: str | None = None) -> list[Push]:
        with self.lock:
            return [p for p in self.received if device is None or p.device == device]

    def _receive(self, path: str, headers: dict[str, str], body: bytes) -> int:
        name = path.rsplit("/", 1)[-1]
        device = self.devices.get(name)
        problems: list[str] = []
        lower = {k.lower(): v for k, v in headers.items()}
        claims = self._check_vapid(lower.get("authorization", ""), problems)
        if lower.get("content-encoding") != "aes128gcm":
            problems.append(f"Content-Encoding {lower.get('content-encoding')!r}, not aes128gcm")
        if not lower.get("ttl", "").isdigit():
            problems.append("no TTL header")
        payload = None
        if device is None:
            problems.append(f"unknown device {name!r}")
        else:
            try:
                plain = http_ece.decrypt(body, private_key=device.private_key, auth_secret=device.auth,
                                         version="aes128gcm")
                payload = orjson.loads(plain)
            except Exception as error:
                problems.append(f"cannot decrypt: {type(error).__name__}: {error}")
        status = 404 if device is None else (device.statuses.pop(0) if device.statuses else device.status)
        with self.lock:
            self.received.append(Push(name, payload, lower, claims, status, problems))
        return status

    def _check_vapid(self, authorization: str, problems: list[str]) -> dict[str, Any] | None:
        scheme, _, rest = authorization.partition(" ")
        parts = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
        if scheme.lower() != "vapid" or "t" not in parts or "k" not in parts:
            problems.append(f"Authorization is not `vapid t=…,k=…`: {authorization[:60]!r}")
            return None
        if self.server_key is not None and parts["k"] != self.server_key:
            problems.append("signed with another key than the server's VAPID key")
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
            claims = jwt.decode(parts["t"], key, algorithms=["ES256"], audience=self.origin,
                                options={"require": ["exp", "aud", "sub"]})
        except Exception as error:
            problems.append(f"VAPID JWT refused: {type(error).__name__}: {error}")
            return None
        if claims["exp"] > time.time() + 24 * 3600:
            problems.append("VAPID exp more than 24 h away")
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            problems.append(f"VAPID sub {claims['sub']!r} is not a mailto: or https: URL")
        return claims
