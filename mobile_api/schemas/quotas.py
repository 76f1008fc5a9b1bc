"""Schemas for the daily quota targets per role and per department."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mobile_api.validation import OutSchema
from server.validation import Schema

Target = Field(None, ge=0, le=10_000, description="Per day; null removes it here (inherited again).")


class QuotaIn(Schema):
    effective_contacts: int | None = Target
    new_key_customers: int | None = Target


class Targets(OutSchema):
    effective_contacts: int
    new_key_customers: int


class Quota(OutSchema):
    role: Literal["admin", "manager", "rep"] | None
    department_id: int | None
    effective_contacts: int | None
    new_key_customers: int | None
    updated_by: int | None
    updated_at: str


class QuotaBook(OutSchema):
    default: Targets
    roles: list[Quota]
    departments: list[Quota]
