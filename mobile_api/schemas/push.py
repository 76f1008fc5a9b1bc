"""Schemas for push subscriptions (API.md, Additions v1.1: Push)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from mobile_api.validation import OutSchema
from server.validation import Schema

B64URL = r"^[A-Za-z0-9_-]+={0,2}$"


class PushKeys(Schema):
    p256dh: str = Field(min_length=80, max_length=100, pattern=B64URL)  # a P-256 point, 65 bytes
    auth: str = Field(min_length=16, max_length=32, pattern=B64URL)  # 16 bytes


class SubscriptionIn(Schema):
    """`{"kind": "webpush", "endpoint", "keys": {"p256dh", "auth"}}` or `{"kind": "fcm"|"apns", "token"}`."""

    kind: Literal["webpush", "fcm", "apns"]
    endpoint: str | None = Field(None, min_length=1, max_length=2048)
    keys: PushKeys | None = None
    token: str | None = Field(None, min_length=1, max_length=4096, pattern=r"^[\x21-\x7e]+$")

    @model_validator(mode="after")
    def _complete(self) -> SubscriptionIn:
        if self.kind == "webpush" and (self.endpoint is None or self.keys is None):
            raise ValueError('a webpush subscription needs "endpoint" and "keys"')
        if self.kind != "webpush" and self.token is None:
            raise ValueError(f'a {self.kind} subscription needs "token"')
        return self


class SubscriptionCreated(OutSchema):
    id: int


class Subscription(OutSchema):
    id: int
    kind: str
    this_device: bool
    created_at: str


class SubscriptionList(OutSchema):
    items: list[Subscription]


class VapidKey(OutSchema):
    key: str
