"""Scanned business cards (名片): the photo, what OCR read from it, and what it became."""

from __future__ import annotations

import enum

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import Timestamped
from server.models.identity import User


class CardStatus(str, enum.Enum):
    PENDING = "pending"  # stored, waiting for (or in) OCR
    DONE = "done"  # fields read
    FAILED = "failed"  # OCR gave up, `error` says why


class Card(Timestamped, Model):
    """One uploaded card photo. The image lives in the upload folder at `image_path`.

    `claimed_at` marks the process that is reading it (a conditional UPDATE
    takes the claim), `attempts` counts claims. After confirmation
    `contact_id` and `customer_id` name what the card became.
    """

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="cards", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(CardStatus, max_length=8, default=CardStatus.PENDING)
    card_fields: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)  # the API's "fields"
    confidence: fields.JSONField[dict[str, float]] = fields.JSONField(default=dict)
    raw_text = fields.TextField(default="")
    error = fields.CharField(max_length=200, null=True)
    image_path = fields.CharField(max_length=300)  # relative to the upload folder
    image_mime = fields.CharField(max_length=20)
    attempts = fields.IntField(default=0)
    claimed_at = fields.DatetimeField(null=True)
    contact_id = fields.IntField(null=True)
    customer_id = fields.IntField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    owner_id: int

    class Meta:
        table = "cards"
        indexes = (("status", "claimed_at"),)
