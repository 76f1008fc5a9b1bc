"""The server's VAPID key pair (RFC 8292) as the web app and push services see it.

The private key is kept as its raw 32-byte scalar in base64url (what
`py_vapid.Vapid02.from_raw` reads); the public key is the uncompressed P-256
point in base64url, the `applicationServerKey` a browser subscribes with.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def private_key(raw: str) -> ec.EllipticCurvePrivateKey:
    """The key object of a raw base64url scalar; ValueError if it is not one."""
    data = _unb64url(raw.strip())
    if len(data) != 32:
        raise ValueError("a VAPID private key is 32 bytes in base64url")
    return ec.derive_private_key(int.from_bytes(data, "big"), ec.SECP256R1())


@lru_cache(maxsize=4)
def public_key(raw: str) -> str:
    point = private_key(raw).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def subscription_key_problems(p256dh: str, auth: str) -> dict[str, str]:
    """What is wrong with a browser's subscription keys (RFC 8291): {field: problem}, empty if nothing."""
    problems = {}
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(p256dh))
    except (ValueError, binascii.Error):
        problems["keys.p256dh"] = "must be the subscription's P-256 public key (65 bytes, base64url)"
    try:
        if len(_unb64url(auth)) != 16:
            raise ValueError
    except (ValueError, binascii.Error):
        problems["keys.auth"] = "must be the subscription's 16-byte auth secret, base64url"
    return problems
