"""Lists of ids in request bodies hold only ids a record can have.

Ids are 32-bit integer columns; PostgreSQL refuses a larger number even in a
lookup, which answered a 500 (found by fuzzing `POST /api/v1/conversations`).
"""

from __future__ import annotations

import datetime as dt

TOO_BIG = 2**31  # one past the largest id


async def test_an_id_beyond_32_bits_in_a_list_is_a_422_on_that_item(org):
    customer = (await org.post("rep_sh", "/api/v1/customers", {"name": "Ruili Garment"})).json()
    group = (await org.post("rep_sh", "/api/v1/conversations",
                            {"kind": "group", "title": "East", "member_ids": [org.rep_east1.id]})).json()
    conversation = f"/api/v1/conversations/{group['id']}"
    checkin = {"customer_id": customer["id"], "lat": 31.2, "lng": 121.5, "accuracy_m": 15,
               "captured_at": dt.datetime.now(dt.timezone.utc).isoformat()}
    user = {"login": "newbie", "name": "New Bie", "password": "a long enough password", "role": "manager"}
    calls = [
        ("rep_sh", "POST", "/api/v1/conversations", {"kind": "group", "title": "T", "member_ids": [TOO_BIG]}, "member_ids.0"),
        ("rep_sh", "POST", f"{conversation}/members", {"user_ids": [TOO_BIG]}, "user_ids.0"),
        ("rep_sh", "DELETE", f"{conversation}/members", {"user_ids": [TOO_BIG]}, "user_ids.0"),
        ("rep_sh", "POST", f"{conversation}/messages", {"client_id": "c1", "body": "hi", "attachments": [TOO_BIG]}, "attachments.0"),
        ("rep_sh", "POST", "/api/v1/checkins", {**checkin, "photo_ids": [TOO_BIG]}, "photo_ids.0"),
        ("rep_sh", "POST", f"/api/v1/customers/{customer['id']}/share", {"user_ids": [TOO_BIG]}, "user_ids.0"),
        ("rep_sh", "POST", "/api/v1/notifications/read", {"ids": [TOO_BIG]}, "ids.0"),
        ("admin", "POST", "/api/v1/users", {**user, "managed_department_ids": [TOO_BIG]}, "managed_department_ids.0"),
        ("admin", "PATCH", f"/api/v1/users/{org.rep_sh.id}", {"managed_department_ids": [TOO_BIG]}, "managed_department_ids.0"),
    ]
    for who, method, path, body, field in calls:
        response = await org.request(who, method, path, json=body)
        assert response.status_code == 422, (method, path, response.status_code, response.text)
        assert field in response.json()["error"]["details"]["fields"], (method, path, response.text)
