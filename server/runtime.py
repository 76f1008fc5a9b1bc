"""Process-wide values fixed at start: the token key."""

from __future__ import annotations

_token_key: str | None = None


def set_token_key(key: str) -> None:
    global _token_key
    _token_key = key


def token_key() -> str:
    if _token_key is None:
        raise RuntimeError("The token key is not loaded; the app's lifespan loads it at start.")
    return _token_key
