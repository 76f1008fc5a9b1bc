"""Sign in, refresh, sign out, and the caller's own account."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import identity as s
from server.actions import auth, profile
from server.errors import rate_limited
from server.queries.identity import own_answer, user_answer


def _client_ip(call: Call) -> str:
    return call.request.client.host if call.request.client else "unknown"


@api.post("/api/v1/auth/login", body=s.LoginIn, response=s.TokensOut, auth=False, errors=(401, 423, 429))
async def login(call: Call) -> Any:
    """Log in with login and password."""
    wait = await call.request.app.state.login_limiter.attempt(_client_ip(call), call.body.login)
    if wait:
        raise rate_limited("Too many login attempts; try again shortly.", wait)
    return await auth.log_in(call.body.login, call.body.password)


@api.post("/api/v1/auth/refresh", body=s.RefreshIn, response=s.TokensOut, auth=False, errors=(401,))
async def refresh(call: Call) -> Any:
    """Trade a refresh token for new tokens."""
    return await auth.refresh_session(call.body.refresh_token)


@api.post("/api/v1/auth/logout", status=204)
async def logout(call: Call) -> None:
    """End this session: its tokens stop working and its sockets close."""
    await auth.log_out(call.viewer, call.session_id)


@api.get("/api/v1/me", response=s.User)
async def me(call: Call) -> Any:
    """The caller's own account."""
    return own_answer(call.viewer)


@api.patch("/api/v1/me", body=s.MePatchIn, response=s.User)
async def update_me(call: Call) -> Any:
    """Change your own email, mobile, time zone, language and notification preferences."""
    data = call.body.model_dump(exclude_unset=True, exclude={"preferences"})
    if call.body.preferences is not None:
        data["preferences"] = call.body.preferences.changes()
    return await user_answer(await profile.update_profile(call.viewer, data))


@api.put("/api/v1/me/password", body=s.PasswordChangeIn, response=s.TokensOut, errors=(403,))
async def change_password(call: Call) -> Any:
    """Change the password; every session ends and this device gets new tokens."""
    return await auth.change_password(call.viewer, call.body.old_password, call.body.new_password)


