"""Helpers for field-work tests: customers placed on the map, check-in bodies, images."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from PIL import Image

# People's Square, Shanghai; Tiananmen, Beijing (about 1,068 km apart).
SHANGHAI = (31.2304, 121.4737)
BEIJING = (39.9042, 116.4074)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.timezone.utc)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def checkin_body(customer_id: int, where: tuple[float, float] = SHANGHAI, *, at: dt.datetime | None = None,
                 accuracy_m: float = 15, **extra: Any) -> dict[str, Any]:
    return {"customer_id": customer_id, "lat": where[0], "lng": where[1], "accuracy_m": accuracy_m,
            "captured_at": (at or now()).isoformat(), **extra}


async def make_customer(owner: Any, name: str = "Ruili Garment", where: tuple[float, float] | None = SHANGHAI,
                        level: str | None = "B", **extra: Any) -> Any:
    from server.models.customers import Customer

    lat, lng = where if where else (None, None)
    return await Customer.create(name=name, lat=lat, lng=lng, level=level, owner_id=owner.id,
                                 created_by_id=owner.id, **extra)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 20), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


@pytest.fixture
def customer_factory() -> Any:
    return make_customer
