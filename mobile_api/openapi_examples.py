"""Request examples for the main operations, shown by `/api/v1/docs`.

`tests/ops/test_api_reference.py` checks each against its operation's schema,
so an example cannot drift from what the server accepts.
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/auth/login"): {"login": "wang.jl", "password": "fieldline-demo"},
    ("POST", "/api/v1/auth/refresh"): {"refresh_token": "<the refresh_token from login>"},
    ("POST", "/api/v1/customers"): {
        "name": "上海瑞丽服装有限公司", "phone": "021-6234 5678", "address": "上海市长宁区延安西路 1000 号",
        "lat": 31.2155, "lng": 121.4290, "industry": "服装", "tags": ["key"],
    },
    ("POST", "/api/v1/activities"): {
        "customer_id": 12, "kind": "call", "content": "Quote sent; call back on Friday.", "reached": True,
        "next_contact_at": "2026-12-11T10:00:00+08:00",
    },
    ("POST", "/api/v1/checkins"): {
        "customer_id": 12, "lat": 31.2156, "lng": 121.4291, "accuracy_m": 18,
        "captured_at": "2026-12-04T09:30:00+08:00", "note": "Met the buyer",
    },
    ("POST", "/api/v1/posts"): {"body": "Signed with @zhang.wei's customer today!", "visibility": "public"},
    ("POST", "/api/v1/tasks"): {"title": "Send the revised quote", "due_at": "2026-12-05T17:00:00+08:00",
                                "remind_at": "2026-12-05T15:00:00+08:00"},
    ("POST", "/api/v1/conversations"): {"kind": "group", "title": "East team", "member_ids": [3, 4]},
    ("POST", "/api/v1/conversations/{id}/messages"): {"client_id": "9b2f6c1e-phone-1", "body": "On my way"},
}
