"""Signing in and out: sessions, tokens, lockout, password changes."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass
from typing import Any

from server import control, runtime
from server.access import Viewer
from server.actions import push
from server.clock import utcnow
from server.errors import AppError, ErrorCode, invalid_field, not_found
from server.models.identity import Role, Session, User
from server.passwords import check_password
from server.queries.orm import column
from server.render.identity import render_user
from server.security import (
    digest,
    hash_password,
    issue_access_token,
    new_refresh_secret,
    parse_refresh_token,
    refresh_token_for,
    verify_password,
)
from server.settings import get_settings
from server.transaction import atomic, on_commit
from server.validation import MAX_DB_INT

MAX_FAILED_LOGINS = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
# Verified when the login does not exist, so both answers take as long.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$RnaWVHcBgTnCxyEudicENg$pzSwlGvBg95J3sg/J00lJmXSnlDE4KucPK9WBDqOU74"


@dataclass
class SessionAuth:
    """What a valid access token resolves to."""

    user: User
    session_id: int


def _invalid_credentials() -> AppError:
    return AppError(ErrorCode.INVALID_CREDENTIALS, "The login or the password is wrong.")


def _locked(until: dt.datetime) -> AppError:
    return AppError(
        ErrorCode.ACCOUNT_LOCKED,
        "Too many failed logins; the account is locked. Wait 15 minutes or ask an administrator to unlock it.",
        {"locked_until": until.isoformat()},
    )


async def check_new_password(password: str, login: str, name: str, field: str = "new_password") -> None:
    """422 on `field` saying why, for a password too short, common or personal (`server.passwords`)."""
    problem = await check_password(password, login, name)
    if problem is not None:
        raise invalid_field(field, problem)


async def log_in(login: str, password: str) -> dict[str, Any]:
    """Check the password, apply the lockout rule, open a session."""
    user = await User.get_or_none(login=login)
    if user is None or not user.active:
        await verify_password(_DUMMY_HASH, password)
        raise _invalid_credentials()
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        raise _locked(user.locked_until)
    if not await verify_password(user.password_hash, password):
        await _record_failure(user.id)
        raise _invalid_credentials()
    await check_not_idle(user, now)
    async with atomic():
        await User.filter(id=user.id).update(
            failed_logins=0, failed_window_start=None, locked_until=None, last_active_at=now
        )
        return await _open_session(user)


def idle_since(user: User, now: dt.datetime) -> bool:
    """A rep whose last sign-in or refresh is older than `inactivity_lock_days`."""
    days = get_settings().inactivity_lock_days
    if user.role != Role.REP or not days:
        return False
    last = user.last_active_at or user.created_at
    return last is not None and now - last > dt.timedelta(days=days)


async def check_not_idle(user: User, now: dt.datetime) -> None:
    """423 `account_locked` for an account locked for inactivity (locking it now
    if it has just become idle); it stays locked until an administrator unlocks it."""
    if user.inactive_locked_at is None and not idle_since(user, now):
        return
    if user.inactive_locked_at is None:
        async with atomic():
            await User.filter(id=user.id, inactive_locked_at=None).update(inactive_locked_at=now)
            await revoke_sessions(user.id)
    raise AppError(
        ErrorCode.ACCOUNT_LOCKED,
        f"This account was locked after {get_settings().inactivity_lock_days:g} days without use; "
        "ask an administrator to unlock it.",
        {"reason": "inactive"},
    )


async def _record_failure(user_id: int) -> None:
    now = utcnow()
    async with atomic():
        user = await User.select_for_update().get(id=user_id)
        if user.failed_window_start is None or now - user.failed_window_start > LOCKOUT_WINDOW:
            user.failed_logins, user.failed_window_start = 1, now
        else:
            user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT_WINDOW
        await user.save(update_fields=["failed_logins", "failed_window_start", "locked_until"])


async def _open_session(user: User) -> dict[str, Any]:
    settings = get_settings()
    session = await Session.create(
        user=user,
        refresh_hash=digest(new_refresh_secret()),  # replaced below, once the session has its id
        expires_at=utcnow() + dt.timedelta(days=settings.refresh_token_days),
    )
    return await _rotate(user, session, 0)


async def _rotate(user: User, session: Session, generation: int) -> dict[str, Any]:
    """Make `generation` the session's only valid refresh token and answer with it."""
    token = refresh_token_for(runtime.token_key(), session.id, session.user_id, session.created_at, generation)
    session.refresh_hash = digest(token)
    await session.save(update_fields=["refresh_hash"])
    return await _token_answer(user, session, token)


async def _token_answer(user: User, session: Session, refresh_token: str) -> dict[str, Any]:
    ttl = dt.timedelta(minutes=get_settings().access_token_minutes)
    managed = await column(user.managed_departments.all(), "id")
    return {
        "access_token": issue_access_token(runtime.token_key(), user.id, session.id, ttl),
        "refresh_token": refresh_token,
        "token_type": "Bearer",
        "expires_in": int(ttl.total_seconds()),
        "user": render_user(user, list(managed)),
    }


async def refresh_session(refresh_token: str) -> dict[str, Any]:
    """Trade a refresh token for new tokens; the old refresh token stops working.

    Refresh tokens rotate, and each names its session and generation, signed
    with the token key (`refresh_token_for`), so the server knows a rotated
    one it issued without storing it. Such a token used again means two
    parties hold the session's tokens (RFC 9700 §4.14.2): the whole session is
    revoked (every later refresh and access token answers 401, its sockets
    close 4403), and the rightful owner signs in again.
    """
    invalid = AppError(ErrorCode.UNAUTHORIZED, "The refresh token is not valid; log in again.")
    parsed = parse_refresh_token(refresh_token) or _before_generations(refresh_token)
    if parsed is None:
        raise invalid
    session_id, generation = parsed
    reused = False
    idle: User | None = None
    async with atomic():
        session = await Session.select_for_update().get_or_none(id=session_id)
        if session is None or session.revoked_at is not None or session.expires_at <= utcnow():
            raise invalid
        if generation < 0:  # `<session>.<secret>`, issued before refresh tokens had generations
            current = session.refresh_hash == digest(refresh_token.partition(".")[2])
        else:
            current = session.refresh_hash == digest(refresh_token)
        if current:
            user = await User.get(id=session.user_id)
            if not user.active:
                raise AppError(ErrorCode.UNAUTHORIZED, "This account is deactivated.")
            if user.inactive_locked_at is None and not idle_since(user, utcnow()):
                await User.filter(id=user.id).update(last_active_at=utcnow())
                return await _rotate(user, session, max(generation, 0) + 1)
            idle = user
        if idle is None:
            issued = refresh_token_for(runtime.token_key(), session.id, session.user_id, session.created_at,
                                       max(generation, 0))
            if generation < 0 or not hmac.compare_digest(issued, refresh_token):
                raise invalid  # not one we issued for this session: no reason to end it
            reused = True
            await revoke_sessions(session.user_id, only=session.id)
    if idle is not None:
        await check_not_idle(idle, utcnow())
    assert reused
    raise AppError(ErrorCode.UNAUTHORIZED, "This refresh token was used before; the session has ended. Log in again.")


def _before_generations(refresh_token: str) -> tuple[int, int] | None:
    """A refresh token from before generations (`<session>.<secret>`) still
    refreshes once, into the new form; its generation reads as -1."""
    session_id, _, secret = refresh_token.partition(".")
    if not re.fullmatch(r"[0-9]{1,10}", session_id) or not secret or "." in secret:
        return None
    return (int(session_id), -1) if 0 < int(session_id) <= MAX_DB_INT else None


async def authenticate(user_id: int, session_id: int) -> SessionAuth:
    """The live session behind an access token, or 401."""
    session = await Session.get_or_none(id=session_id).select_related("user")
    if (
        session is None
        or session.user_id != user_id
        or session.revoked_at is not None
        or not session.user.active
    ):
        raise AppError(ErrorCode.UNAUTHORIZED, "This session has ended; log in again.")
    return SessionAuth(session.user, session.id)


async def revoke_sessions(user_id: int, *, only: int | None = None) -> None:
    """Revoke a user's sessions (or one of them) and close their sockets after commit."""
    query = Session.filter(user_id=user_id, revoked_at__isnull=True)
    if only is not None:
        query = query.filter(id=only)
    ids = await column(query, "id")
    if ids:
        await Session.filter(id__in=ids).update(revoked_at=utcnow())
        await push.forget_sessions(ids)  # a signed-out device gets no more pushes
        control.revoked_here(ids)  # no request of this process trusts them from now on
        on_commit(lambda: control.sessions_revoked(user_id, ids))


async def log_out(viewer: Viewer, session_id: int) -> None:
    async with atomic():
        await revoke_sessions(viewer.id, only=session_id)


async def change_password(viewer: Viewer, old_password: str, new_password: str) -> dict[str, Any]:
    """Every session of the user ends; the answer carries a fresh one for this device."""
    user = await User.get(id=viewer.id)
    await check_new_password(new_password, user.login, user.name)
    if not await verify_password(user.password_hash, old_password):
        raise AppError(ErrorCode.INVALID_CREDENTIALS, "The old password is wrong.", status=403)
    new_hash = await hash_password(new_password)
    async with atomic():
        await User.filter(id=user.id).update(password_hash=new_hash, must_change_password=False)
        user.must_change_password = False
        await revoke_sessions(user.id)
        return await _open_session(user)


async def unlock_user(viewer: Viewer, user_id: int) -> User:
    viewer.require_admin()
    async with atomic():
        updated = await User.filter(id=user_id).update(
            failed_logins=0, failed_window_start=None, locked_until=None,
            inactive_locked_at=None, last_active_at=utcnow(),
        )
        if not updated:
            raise not_found("user")
        on_commit(control.people_changed)
    return await User.get(id=user_id)


async def reset_password(viewer: Viewer, user_id: int, new_password: str) -> User:
    """An administrator sets a new password; the user's sessions end."""
    viewer.require_admin()
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("user")
    await check_new_password(new_password, user.login, user.name, "password")
    new_hash = await hash_password(new_password)
    async with atomic():
        await User.filter(id=user_id).update(
            password_hash=new_hash, failed_logins=0, locked_until=None, failed_window_start=None,
            must_change_password=get_settings().password_change_at_first_sign_in,
        )
        await revoke_sessions(user_id)
    return await User.get(id=user_id)
