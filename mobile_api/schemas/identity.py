"""Schemas for sign-in, users, departments and the directory."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from mobile_api.schemas.notifications import PreferencesIn
from mobile_api.validation import OutSchema, QuerySchema, not_null
from server.validation import OneLine, RecordId, Schema

RoleName = Literal["admin", "manager", "rep"]
Language = Literal["zh-CN", "en"]  # server.i18n.LANGUAGES
Name = Field(min_length=1, max_length=100)
NEW_PASSWORD = ("At least 10 characters; refused (422 on this field, saying why) when common or easy to guess "
                "(zxcvbn score below 3) or built from the login or name.")


class LoginIn(Schema):
    login: OneLine = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(Schema):
    refresh_token: str = Field(min_length=1, max_length=512)


class PasswordChangeIn(Schema):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256, description=NEW_PASSWORD)


class ResetPasswordIn(Schema):
    password: str = Field(min_length=1, max_length=256, description=NEW_PASSWORD)


class User(OutSchema):
    id: int
    login: str
    name: str
    role: RoleName
    department_id: int | None
    managed_department_ids: list[int]
    email: str | None
    mobile: str | None
    title: str | None
    timezone: str
    language: Language
    locked: bool
    active: bool
    must_change_credentials: bool = Field(description="An administrator set the password: PUT /me/password before anything else.")
    created_at: str


class TokensOut(OutSchema):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    user: User


class UserCreateIn(Schema):
    login: OneLine = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: OneLine = Name
    password: str = Field(min_length=1, max_length=256, description=NEW_PASSWORD)
    role: RoleName
    department_id: RecordId | None = None
    managed_department_ids: list[RecordId] = Field(default_factory=list, max_length=500)
    email: OneLine | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile: OneLine | None = Field(None, max_length=32)
    title: OneLine | None = Field(None, max_length=100)
    timezone: str | None = Field(None, max_length=64)
    language: Language | None = Field(None, description="zh-CN or en; default FIELDLINE_DEFAULT_LANGUAGE.")


class UserPatchIn(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=100)
    role: RoleName | None = None
    department_id: RecordId | None = None
    managed_department_ids: list[RecordId] | None = Field(None, max_length=500)
    email: OneLine | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile: OneLine | None = Field(None, max_length=32)
    title: OneLine | None = Field(None, max_length=100)
    timezone: str | None = Field(None, max_length=64)
    language: Language | None = None
    active: bool | None = None

    _set = field_validator("name", "role", "timezone", "language", "active")(not_null)


class MePatchIn(Schema):
    """What a person changes about themselves; null clears email or mobile.

    Who they are (name, title, role, department) is for administrators: those
    fields are kept (not ignored) so that the action can answer 422 on them."""

    model_config = ConfigDict(strict=True, extra="allow", allow_inf_nan=False)

    email: OneLine | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile: OneLine | None = Field(None, max_length=32)
    timezone: str | None = Field(None, min_length=1, max_length=64, description="An IANA time zone.")
    language: Language | None = Field(None, description="zh-CN or en: the language of what the server writes.")
    preferences: PreferencesIn | None = Field(
        None, description="The same changes PUT /api/v1/me/preferences takes."
    )

    _set = field_validator("timezone", "language")(not_null)


class UserList(OutSchema):
    items: list[User]
    next_cursor: str | None


class UsersQuery(QuerySchema):
    limit: int = Field(50, ge=1)
    cursor: str | None = Field(None, max_length=512)
    department_id: RecordId | None = None
    q: str | None = Field(None, max_length=100)


class DepartmentIn(Schema):
    name: OneLine = Name
    parent_id: RecordId | None = None


class DepartmentPatchIn(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=100)
    parent_id: RecordId | None = Field(None, description="null: a top-level department.")

    _name = field_validator("name")(not_null)


class Department(OutSchema):
    id: int
    name: str
    parent_id: int | None
    children: list[Department]


class DepartmentTree(OutSchema):
    items: list[Department]


class DirectoryEntry(OutSchema):
    id: int
    name: str
    title: str | None
    department_id: int | None
    department: str | None
    mobile: str | None
    email: str | None


class Directory(OutSchema):
    items: list[DirectoryEntry]
