"""Access tokens: a token once verified is not verified again, yet never
outlives its expiry."""

from __future__ import annotations

import datetime as dt
import time

import jwt.api_jwt
import pytest

from server import security
from server.errors import AppError, ErrorCode
from server.security import AccessClaims, issue_access_token, read_access_token

KEY = "test-key-" + "k" * 32


def test_a_verified_token_is_refused_once_it_expires(monkeypatch):
    token = issue_access_token(KEY, 3, 9, dt.timedelta(minutes=1))
    assert read_access_token(KEY, token) == AccessClaims(3, 9)
    assert read_access_token(KEY, token) == AccessClaims(3, 9)  # now from the verified tokens

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime.now(tz) + dt.timedelta(minutes=2)

    real = time.time
    monkeypatch.setattr(security.time, "time", lambda: real() + 120)
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    with pytest.raises(AppError) as refused:
        read_access_token(KEY, token)
    assert refused.value.code == ErrorCode.TOKEN_EXPIRED


def test_a_token_verified_under_one_key_is_not_accepted_under_another():
    token = issue_access_token(KEY, 3, 9, dt.timedelta(minutes=1))
    assert read_access_token(KEY, token) == AccessClaims(3, 9)
    with pytest.raises(AppError) as refused:
        read_access_token(KEY + "-rotated", token)
    assert refused.value.code == ErrorCode.UNAUTHORIZED
