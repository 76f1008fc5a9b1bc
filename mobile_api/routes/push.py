"""Push: devices register for push; the web app reads the VAPID public key."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, api
from mobile_api.schemas import push as s
from server import runtime, vapid
from server.actions import push
from server.queries import push as q


@api.post("/api/v1/push/subscriptions", body=s.SubscriptionIn, response=s.SubscriptionCreated, status=201,
          idempotent=True)
async def subscribe(call: Call) -> Any:
    """Register this device for push; it is removed when this session signs out or is revoked."""
    b = call.body
    keys = b.keys.model_dump() if b.keys else None
    made = await push.register(call.viewer, call.session_id, b.kind, b.endpoint or b.token, keys)
    return {"id": made.id}


@api.get("/api/v1/push/subscriptions", response=s.SubscriptionList)
async def list_subscriptions(call: Call) -> Any:
    """The caller's devices registered for push (`this_device`: registered by this session)."""
    return {"items": await q.list_subscriptions(call.user_id, call.session_id)}


@api.delete("/api/v1/push/subscriptions/{id:int}", status=204)
async def unsubscribe(call: Call) -> None:
    """Stop pushing to one of the caller's devices."""
    await push.remove(call.viewer, call["id"])


@api.get("/api/v1/push/vapid-public-key", response=s.VapidKey)
async def vapid_public_key(call: Call) -> Any:
    """The key a browser subscribes with (`applicationServerKey`), base64url."""
    return {"key": vapid.public_key(runtime.vapid_key())}
