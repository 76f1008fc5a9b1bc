"""People, departments and sign-in sessions."""

from __future__ import annotations

import enum

from tortoise import fields
from tortoise.models import Model

from server.models.base import Timestamped


class Role(str, enum.Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"


class Department(Timestamped, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    parent: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    children: fields.ReverseRelation[Department]
    members: fields.ReverseRelation[User]
    parent_id: int | None

    class Meta:
        table = "departments"


class User(Timestamped, Model):
    id = fields.IntField(primary_key=True)
    login = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16)
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    managed_departments: fields.ManyToManyRelation[Department] = fields.ManyToManyField(
        "models.Department",
        related_name="managers",
        through="user_managed_departments",
        forward_key="department_id",
        backward_key="user_id",
    )
    email = fields.CharField(max_length=254, null=True)
    mobile = fields.CharField(max_length=32, null=True)
    title = fields.CharField(max_length=100, null=True)
    timezone = fields.CharField(max_length=64, default="Asia/Shanghai")
    language = fields.CharField(max_length=8, default="zh-CN")  # server.i18n.LANGUAGES
    password_hash = fields.CharField(max_length=255)
    active = fields.BooleanField(default=True)
    failed_logins = fields.IntField(default=0)
    failed_window_start = fields.DatetimeField(null=True)
    locked_until = fields.DatetimeField(null=True)
    # The last sign-in or token refresh; a rep idle for `inactivity_lock_days` is
    # locked (inactive_locked_at) until an administrator unlocks them.
    last_active_at = fields.DatetimeField(null=True)
    inactive_locked_at = fields.DatetimeField(null=True)
    # Set when an administrator creates the account or resets its password: until the
    # user chooses their own (PUT /me/password) other routes answer 403 password_change_required.
    must_change_password = fields.BooleanField(default=False)
    # The local days whose quota alert (a rep) and team summary (a manager) went
    # out: claimed by an UPDATE, so each goes once across processes.
    quota_alerted_on = fields.DateField(null=True)
    quota_summary_on = fields.DateField(null=True)
    department_id: int | None

    class Meta:
        table = "users"


class Session(Model):
    """One signed-in device. Access tokens name it, and revoking it ends them all."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    refresh_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    user_id: int

    class Meta:
        table = "sessions"


class ServerSecret(Model):
    """Secrets generated on first start and shared by every server process."""

    name = fields.CharField(max_length=64, primary_key=True)
    value = fields.CharField(max_length=255)

    class Meta:
        table = "server_secrets"
