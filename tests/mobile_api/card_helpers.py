"""Helpers for card tests: synthetic card photos, card rows, waiting for the reader."""

from __future__ import annotations

import asyncio
import io
import struct
import zlib
from functools import lru_cache
from typing import Any

from PIL import Image

READ_DEADLINE_S = 180.0  # generous: OCR shares two cores with other test runs


@lru_cache(maxsize=1)
def corpus_card() -> tuple[bytes, dict[str, Any]]:
    """One synthetic card photo (JPEG) and what it says."""
    from ocr.corpus import generate_corpus

    return generate_corpus(1, seed=7)[0]


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge image (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def card_fields(**values: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": None, "title": None, "company": None, "mobile": None, "phones": [],
        "fax": None, "email": None, "website": None, "address": None,
    }
    fields.update(values)
    return fields


async def make_card(owner: Any, status: str = "done", **values: Any) -> Any:
    """A card row as the reader leaves it (no OCR run)."""
    from server.models.cards import Card, CardStatus

    return await Card.create(
        owner_id=owner.id, status=CardStatus(status), card_fields=card_fields(**values) if status == "done" else {},
        confidence={k: 0.9 for k, v in values.items() if v}, raw_text="\n".join(str(v) for v in values.values()),
        error="unreadable image: test" if status == "failed" else None,
        image_path="cards/missing.jpg", image_mime="image/jpeg",
    )


async def upload(org: Any, who: str, data: bytes, filename: str = "card.jpg",
                 content_type: str = "image/jpeg") -> Any:
    return await org.post(who, "/api/v1/cards", files={"image": (filename, data, content_type)})


async def wait_until_read(org: Any, who: str, card_id: int) -> dict[str, Any]:
    """Poll the card until the reader has finished with it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READ_DEADLINE_S
    while True:
        body = (await org.get(who, f"/api/v1/cards/{card_id}")).json()
        if body["status"] != "pending" or loop.time() > deadline:
            return body
        await asyncio.sleep(0.2)
