"""Sign-in flows: tokens, refresh, logout, password change, lockout, rate limit."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


async def login(org, login: str, password: str = PASSWORD):
    return await org.post(None, "/api/v1/auth/login", {"login": login, "password": password})


async def test_login_returns_tokens_and_user(org):
    response = await login(org, "rep_east1")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["login"] == "rep_east1"
    assert body["user"]["name"] == "张伟"
    assert "password" not in str(body["user"]).lower()
    assert body["expires_in"] > 0
    me = await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["id"] == org.rep_east1.id


async def test_json_keeps_chinese_characters_as_is(org):
    response = await org.get("rep_east1", "/api/v1/me")
    assert "张伟".encode() in response.content


async def test_wrong_password_is_401_invalid_credentials(org):
    response = await login(org, "rep_east1", "wrong-password")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    unknown = await login(org, "nobody")
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "invalid_credentials"


async def test_five_failures_lock_until_admin_unlocks(org):
    for _ in range(5):
        assert (await login(org, "rep_west", "nope-nope")).status_code == 401
    locked = await login(org, "rep_west")
    assert locked.status_code == 423
    assert locked.json()["error"]["code"] == "account_locked"
    user = await org.get("admin", f"/api/v1/users/{org.rep_west.id}")
    assert user.json()["locked"] is True
    assert (await org.post("rep_east1", f"/api/v1/users/{org.rep_west.id}/unlock")).status_code == 403
    unlocked = await org.post("admin", f"/api/v1/users/{org.rep_west.id}/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["locked"] is False
    assert (await login(org, "rep_west")).status_code == 200


async def test_refresh_rotates_and_old_refresh_token_dies(org):
    first = (await login(org, "rep_east2")).json()
    second = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    again = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert again.status_code == 401
    garbage = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": "99999999999999.x"})
    assert garbage.status_code == 401


async def test_logout_revokes_that_session_only(org):
    a = (await login(org, "rep_sh")).json()["access_token"]
    b = (await login(org, "rep_sh")).json()["access_token"]
    out = await org.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {a}"})
    assert out.status_code == 204
    assert (await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {a}"})).status_code == 401
    assert (await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {b}"})).status_code == 200


async def test_password_change_revokes_every_session(org):
    old = (await login(org, "rep_sh")).json()["access_token"]
    changed = await org.put("rep_sh", "/api/v1/me/password",
                            {"old_password": PASSWORD, "new_password": "a-new-passphrase"})
    assert changed.status_code == 200, changed.text
    assert (await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"})).status_code == 401
    fresh = changed.json()["access_token"]
    assert (await org.client.get("/api/v1/me", headers={"Authorization": f"Bearer {fresh}"})).status_code == 200
    assert (await login(org, "rep_sh")).status_code == 401
    assert (await login(org, "rep_sh", "a-new-passphrase")).status_code == 200


async def test_wrong_old_password_is_refused(org):
    response = await org.put("rep_sh", "/api/v1/me/password",
                             {"old_password": "not-it-at-all", "new_password": "a-new-passphrase"})
    assert response.status_code == 403


async def test_short_new_password_is_422(org):
    response = await org.put("rep_sh", "/api/v1/me/password", {"old_password": PASSWORD, "new_password": "short"})
    assert response.status_code == 422
    assert "new_password" in response.json()["error"]["details"]["fields"]


@pytest.fixture
async def login_limits(app, settings):
    """`login_limits(per_login, per_address)` swaps the app's login limiter for one with these limits."""
    from server.ratelimit import login_limiter

    usual = app.state.login_limiter
    made = []

    def use(per_login: int, per_address: int) -> None:
        made.append(login_limiter(per_login, per_address, settings.redis_url, settings.redis_prefix))
        app.state.login_limiter = made[-1]

    yield use
    app.state.login_limiter = usual
    for limiter in made:
        await limiter.close()


async def test_login_rate_limit_per_address_and_login_is_429_with_retry_after(org, login_limits):
    """In memory on SQLite; through Redis (shared by every process) on PostgreSQL + Redis."""
    login_limits(3, 6)
    codes = [(await login(org, "rep_east1", "bad-password")).status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    limited = await login(org, "rep_east1")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    # other people behind the same address are not held up by one account's guesser...
    assert [(await login(org, who)).status_code for who in ("rep_east2", "rep_sh")] == [200, 200]
    # ...until the address as a whole passes its much higher ceiling
    assert (await login(org, "rep_west")).status_code == 429


async def test_an_office_of_fifty_behind_one_address_signs_in_at_nine(org, login_limits):
    from server.settings import Settings

    defaults = Settings()
    login_limits(defaults.login_attempts_per_minute, defaults.login_attempts_per_address_per_minute)
    for n in range(50 - len(org.users)):
        await org.add_user(f"office{n}", "rep", "east")
    codes = [(await login(org, key)).status_code for key in list(org.users)]
    assert len(codes) == 50 and set(codes) == {200}
    # one address guessing at one account is stopped (an account nobody signed in to
    # above, so its minute starts with the first guess)
    await org.add_user("boss", "manager", "east")
    limit = defaults.login_attempts_per_minute
    guesses = [(await login(org, "boss", f"guess-{n}")).status_code for n in range(limit + 1)]
    assert guesses[-1] == 429 and set(guesses[:-1]) <= {401, 423}


async def test_missing_or_bad_token_is_401(org):
    assert (await org.get(None, "/api/v1/me")).status_code == 401
    bad = await org.client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "unauthorized"


async def test_a_rotated_refresh_token_used_again_ends_the_whole_session(org):
    """RFC 9700: a replayed refresh token means two parties hold the session."""
    first = (await login(org, "rep_east2")).json()
    other_device = (await login(org, "rep_east2")).json()
    second = (await org.post(None, "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})).json()
    third = (await org.post(None, "/api/v1/auth/refresh", {"refresh_token": second["refresh_token"]})).json()
    replayed = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401 and "used before" in replayed.json()["error"]["message"]
    # the newest tokens of that session died with it; the user's other device did not
    assert (await org.post(None, "/api/v1/auth/refresh", {"refresh_token": third["refresh_token"]})).status_code == 401
    bearer = {"Authorization": f"Bearer {third['access_token']}"}
    assert (await org.client.get("/api/v1/me", headers=bearer)).status_code == 401
    bearer = {"Authorization": f"Bearer {other_device['access_token']}"}
    assert (await org.client.get("/api/v1/me", headers=bearer)).status_code == 200


@pytest.mark.parametrize("forged", ["{sid}.0.AAAA", "{sid}.7.x", "{sid}.x", "{sid}.²", "²².1.x", "{sid}.99999999999999.x"])
async def test_a_refresh_token_the_server_never_issued_is_401_and_ends_nothing(org, forged):
    first = (await login(org, "rep_east2")).json()
    session_id = first["refresh_token"].split(".")[0]
    answer = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": forged.format(sid=session_id)})
    assert answer.status_code == 401, answer.text
    assert (await org.post(None, "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})).status_code == 200


async def test_a_refresh_token_from_before_generations_refreshes_once_into_the_new_form(org):
    import datetime as dt

    from server.models.identity import Session
    from server.security import digest

    session = await Session.create(user_id=org.rep_sh.id, refresh_hash=digest("old-style-secret"),
                                   expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    old = f"{session.id}.old-style-secret"
    renewed = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": old})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["refresh_token"].startswith(f"{session.id}.1.")
    assert (await org.post(None, "/api/v1/auth/refresh", {"refresh_token": old})).status_code == 401
    again = await org.post(None, "/api/v1/auth/refresh", {"refresh_token": renewed.json()["refresh_token"]})
    assert again.status_code == 200
