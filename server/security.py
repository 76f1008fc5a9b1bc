"""Password hashing and signed access tokens."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.errors import AppError, ErrorCode
from server.validation import MAX_DB_INT

_hasher = PasswordHasher()
TOKEN_ALGORITHM = "HS256"


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    """Argon2 costs tens of milliseconds of CPU: keep it off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def new_refresh_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


MAX_REFRESH_GENERATION = 10**12
_DIGITS = re.compile(r"[0-9]{1,13}")  # str.isdigit() also takes "²", which int() refuses


def refresh_token_for(key: str, session_id: int, user_id: int, created_at: dt.datetime, generation: int) -> str:
    """`<session>.<generation>.<signature>`: the refresh token of one generation of a session.

    The signature binds the session's user and creation time too, so a token
    from a session of an older database with the same id and key means nothing.
    """
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=dt.timezone.utc)
    created = created_at.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S%f")
    message = f"refresh.{session_id}.{user_id}.{created}.{generation}".encode()
    mac = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return f"{session_id}.{generation}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def parse_refresh_token(token: str) -> tuple[int, int] | None:
    """(session id, generation) of a well-formed refresh token, else None."""
    parts = token.split(".")
    if len(parts) != 3 or not (_DIGITS.fullmatch(parts[0]) and _DIGITS.fullmatch(parts[1]) and parts[2]):
        return None
    session_id, generation = int(parts[0]), int(parts[1])
    if not 0 < session_id <= MAX_DB_INT or generation > MAX_REFRESH_GENERATION:
        return None
    return session_id, generation


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: int


def issue_access_token(key: str, user_id: int, session_id: int, ttl: dt.timedelta) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    payload = {"sub": str(user_id), "sid": session_id, "typ": "access", "iat": now, "exp": now + ttl}
    return jwt.encode(payload, key, algorithm=TOKEN_ALGORITHM)


# Tokens whose signature was checked, with their expiry: a phone sends the same
# token with every call for half an hour, and checking an HMAC again each time
# costs more than the rest of the sign-in check. Expiry is still enforced.
_verified: dict[tuple[str, str], tuple[float, AccessClaims]] = {}
MAX_VERIFIED = 10_000


def read_access_token(key: str, token: str) -> AccessClaims:
    """Check signature and expiry; the caller still checks the session is live."""
    known = _verified.get((key, token))
    if known is not None and time.time() < known[0]:
        return known[1]
    claims, expires = _decode_access_token(key, token)
    if len(_verified) >= MAX_VERIFIED:
        _verified.clear()
    _verified[(key, token)] = (expires, claims)
    return claims


def _decode_access_token(key: str, token: str) -> tuple[AccessClaims, float]:
    try:
        payload = jwt.decode(token, key, algorithms=[TOKEN_ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise AppError(ErrorCode.TOKEN_EXPIRED, "The access token has expired; refresh it.") from None
    except jwt.PyJWTError:
        raise AppError(ErrorCode.UNAUTHORIZED, "The access token is not valid; log in again.") from None
    try:
        if payload.get("typ") != "access":
            raise ValueError
        return AccessClaims(int(payload["sub"]), int(payload["sid"])), float(payload["exp"])
    except (KeyError, TypeError, ValueError):
        raise AppError(ErrorCode.UNAUTHORIZED, "The access token is not valid; log in again.") from None
