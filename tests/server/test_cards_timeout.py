"""A card whose reading overruns `ocr_timeout_s` fails with the reason."""

from __future__ import annotations

import pytest

from tests.mobile_api.card_helpers import png_bytes, upload, wait_until_read


@pytest.fixture
def test_env(test_env):
    return {**test_env, "FIELDLINE_OCR_TIMEOUT_S": "0.001"}


async def test_reading_past_the_timeout_fails_the_card_with_the_reason(org, event_log):
    accepted = await upload(org, "rep_east2", png_bytes(600, 400), filename="card.png", content_type="image/png")
    assert accepted.status_code == 202
    card = await wait_until_read(org, "rep_east2", accepted.json()["id"])
    assert card["status"] == "failed"
    assert card["error"] == "timeout: reading took longer than 0.001 s"
    assert card["fields"]["name"] is None and card["duplicates"] == []
    parsed = [e["data"] for e in await event_log(org.rep_east2.id) if e["type"] == "card.parsed"]
    assert parsed == [card]
    again = await upload(org, "rep_east2", png_bytes(600, 400), filename="card.png", content_type="image/png")
    second = await wait_until_read(org, "rep_east2", again.json()["id"])
    assert (second["status"], second["error"]) == ("failed", card["error"])  # the reader goes on with a new pool
