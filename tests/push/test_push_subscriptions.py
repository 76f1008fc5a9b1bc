"""Devices register for push, list and remove them; signing out removes that device's."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from server.models.identity import ServerSecret
from server.models.push import PushSubscription
from tests.push.conftest import subscribe
from tests.support.push_service import PushService


async def test_the_vapid_public_key_is_a_p256_point_kept_in_a_private_file(org: Any, settings: Any) -> None:
    import os
    import stat

    from server.actions.system import ensure_vapid_key
    from server.vapid import public_key

    key = (await org.get("rep_sh", "/api/v1/push/vapid-public-key")).json()["key"]
    point = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    path = settings.vapid_key_file_path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert public_key(ensure_vapid_key(None, path)) == key  # the next start reads the same key
    assert await ServerSecret.all().count() == 0  # not in the database
    assert (await org.get(None, "/api/v1/push/vapid-public-key")).status_code == 401


async def test_register_list_and_remove_devices(org: Any, push_service: PushService) -> None:
    first = await subscribe(org, "rep_sh", push_service, "phone")
    native = await org.post("rep_sh", "/api/v1/push/subscriptions", {"kind": "fcm", "token": "fcm-token-1"})
    assert native.status_code == 201
    listed = (await org.get("rep_sh", "/api/v1/push/subscriptions")).json()["items"]
    assert [(i["id"], i["kind"], i["this_device"]) for i in listed] == [
        (first, "webpush", True), (native.json()["id"], "fcm", True)]
    assert "endpoint" not in listed[0] and "keys" not in listed[0]
    assert (await org.get("rep_west", "/api/v1/push/subscriptions")).json()["items"] == []
    assert (await org.delete("rep_west", f"/api/v1/push/subscriptions/{first}")).status_code == 404
    assert (await org.delete("rep_sh", f"/api/v1/push/subscriptions/{first}")).status_code == 204
    assert (await org.delete("rep_sh", f"/api/v1/push/subscriptions/{first}")).status_code == 404
    assert [i["kind"] for i in (await org.get("rep_sh", "/api/v1/push/subscriptions")).json()["items"]] == ["fcm"]


async def test_the_same_device_registering_again_is_one_subscription_and_moves_to_the_new_owner(
    org: Any, push_service: PushService
) -> None:
    body = push_service.subscription("shared-browser")
    first = await org.post("rep_sh", "/api/v1/push/subscriptions", body)
    again = await org.post("rep_sh", "/api/v1/push/subscriptions", body)
    assert first.json()["id"] == again.json()["id"]
    other = await org.post("rep_west", "/api/v1/push/subscriptions", body)  # someone else signed in on it
    assert other.json()["id"] == first.json()["id"]
    assert (await org.get("rep_sh", "/api/v1/push/subscriptions")).json()["items"] == []
    assert await PushSubscription.filter(user_id=org.rep_west.id).count() == 1


async def test_bad_subscriptions_are_422_on_the_field(org: Any, push_service: PushService) -> None:
    good = push_service.subscription("x")
    cases = [
        ({"kind": "webpush", "endpoint": good["endpoint"]}, "body"),
        ({**good, "keys": {"p256dh": "A" * 87, "auth": good["keys"]["auth"]}}, "keys.p256dh"),
        ({**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "short"}}, "keys.auth"),
        ({**good, "endpoint": "ftp://push.example/x"}, "endpoint"),
        ({"kind": "apns"}, "body"),
        ({"kind": "sms", "token": "t"}, "kind"),
        ({"kind": "fcm", "token": 12}, "token"),
        ({"kind": "fcm", "token": "has space"}, "token"),
        ({"kind": "fcm", "token": "t" * 5000}, "token"),
    ]
    for body, field in cases:
        answer = await org.post("rep_sh", "/api/v1/push/subscriptions", body)
        assert answer.status_code == 422, (body, answer.text)
        assert field in answer.json()["error"]["details"]["fields"], (body, answer.json())
    assert await PushSubscription.all().count() == 0


async def test_http_endpoints_are_refused_unless_allowed(org: Any, app: Any, push_service: PushService) -> None:
    from server.settings import get_settings, use_settings

    settings = get_settings()
    use_settings(settings.replace(push_allow_http=False))
    try:
        answer = await org.post("rep_sh", "/api/v1/push/subscriptions", push_service.subscription("plain"))
    finally:
        use_settings(settings)
    assert answer.status_code == 422 and "endpoint" in answer.json()["error"]["details"]["fields"]


async def test_signing_out_removes_only_that_devices_subscriptions(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    login = await org.client.post("/api/v1/auth/login", json={"login": "rep_sh", "password": "correct-horse-battery"})
    laptop = {"Authorization": f"Bearer {login.json()['access_token']}"}
    made = await org.client.post("/api/v1/push/subscriptions", json=push_service.subscription("laptop"), headers=laptop)
    assert made.status_code == 201
    assert await PushSubscription.filter(user_id=org.rep_sh.id).count() == 2
    assert (await org.client.post("/api/v1/auth/logout", headers=laptop)).status_code == 204
    left = await PushSubscription.filter(user_id=org.rep_sh.id).values_list("endpoint", flat=True)
    assert [e.rsplit("/", 1)[-1] for e in left] == ["phone"]


async def test_revoking_every_session_removes_every_device(org: Any, push_service: PushService) -> None:
    await subscribe(org, "rep_sh", push_service, "phone")
    await org.post("rep_sh", "/api/v1/push/subscriptions", {"kind": "apns", "token": "a" * 64})
    changed = await org.client.put(
        "/api/v1/me/password", headers=org.headers("rep_sh"),
        json={"old_password": "correct-horse-battery", "new_password": "another-horse-battery"},
    )
    assert changed.status_code == 200, changed.text
    assert await PushSubscription.filter(user_id=org.rep_sh.id).count() == 0


async def test_a_malformed_vapid_key_setting_stops_the_server(test_env: dict[str, str]) -> None:
    import pytest

    from server.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="FIELDLINE_VAPID_PRIVATE_KEY"):
        load_settings({**test_env, "FIELDLINE_VAPID_PRIVATE_KEY": "not-a-key"})
