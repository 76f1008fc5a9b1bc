"""Process-wide values fixed at start: the token key and the VAPID private key."""

from __future__ import annotations

_token_key: str | None = None


def set_token_key(key: str) -> None:
    global _token_key
    _token_key = key


def token_key() -> str:
    if _token_key is None:
        raise RuntimeError("The token key is not loaded; the app's lifespan loads it at start.")
    return _token_key


_vapid_key: str | None = None


def set_vapid_key(key: str) -> None:
    global _vapid_key
    _vapid_key = key


def vapid_key() -> str:
    if _vapid_key is None:
        raise RuntimeError("The VAPID key is not loaded; the app's lifespan loads it at start.")
    return _vapid_key
