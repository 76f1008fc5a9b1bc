"""The card reader service: claims, pickup of cards left pending, release on stop."""

from __future__ import annotations

import asyncio
import datetime as dt
import pathlib

from server.actions.cards import MAX_ATTEMPTS, claim_card, refresh_card_claims, release_card_claims
from server.clock import utcnow
from server.models.cards import Card, CardStatus
from tests.conftest import events_for, password_hash
from tests.mobile_api.card_helpers import READ_DEADLINE_S, corpus_card, make_card

AN_HOUR_AGO = dt.timedelta(hours=1)


async def test_only_one_reader_claims_a_card(org):
    card = await make_card(org.rep_sh, status="pending")
    stale_before = utcnow() - AN_HOUR_AGO
    first, second = await asyncio.gather(claim_card(card.id, stale_before), claim_card(card.id, stale_before))
    assert [c is not None for c in (first, second)].count(True) == 1
    row = await Card.get(id=card.id)
    assert row.attempts == 1 and row.claimed_at is not None


async def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_not(org):
    card = await make_card(org.rep_sh, status="pending")
    await Card.filter(id=card.id).update(claimed_at=utcnow() - dt.timedelta(minutes=5), attempts=1)
    assert await claim_card(card.id, utcnow() - dt.timedelta(minutes=10)) is None
    taken = await claim_card(card.id, utcnow() - dt.timedelta(minutes=1))
    assert taken is not None and taken.attempts == 2


async def test_a_card_interrupted_too_often_fails_and_tells_its_owner(org, event_log):
    card = await make_card(org.rep_sh, status="pending")
    await Card.filter(id=card.id).update(attempts=MAX_ATTEMPTS)
    assert await claim_card(card.id, utcnow()) is None
    row = await Card.get(id=card.id)
    assert row.status == CardStatus.FAILED and "interrupted" in row.error
    parsed = [e["data"] for e in await event_log(org.rep_sh.id) if e["type"] == "card.parsed"]
    assert [(d["id"], d["status"], d["error"]) for d in parsed] == [(card.id, "failed", row.error)]


async def test_released_claims_are_free_again_and_not_counted(org):
    card = await make_card(org.rep_sh, status="pending")
    assert await claim_card(card.id, utcnow()) is not None
    await release_card_claims([card.id])
    row = await Card.get(id=card.id)
    assert row.claimed_at is None and row.attempts == 0
    assert await claim_card(card.id, utcnow() - AN_HOUR_AGO) is not None


async def test_a_reader_renews_the_claims_it_holds(org):
    card = await make_card(org.rep_sh, status="pending")
    assert await claim_card(card.id, utcnow()) is not None
    await Card.filter(id=card.id).update(claimed_at=utcnow() - dt.timedelta(seconds=15))
    await refresh_card_claims([card.id])
    row = await Card.get(id=card.id)
    assert row.claimed_at > utcnow() - dt.timedelta(seconds=5)
    assert await claim_card(card.id, utcnow() - dt.timedelta(seconds=10)) is None


async def _seed_left_pending(settings) -> dict[str, int]:
    """A user and the cards a crashed server left behind, written before the app starts."""
    from server.actions.users import create_user
    from server.db import close_database, open_database

    folder = pathlib.Path(settings.upload_dir) / "cards"
    folder.mkdir(parents=True)
    (folder / "left.jpg").write_bytes(corpus_card()[0])
    await open_database(settings.database_url)
    try:
        user = await create_user(None, {"login": "rep_x", "name": "Rep X", "role": "rep"}, password_hash=password_hash())
        common = {"owner_id": user.id, "image_mime": "image/jpeg", "attempts": 1}
        crashed = await Card.create(image_path="cards/left.jpg", claimed_at=utcnow() - AN_HOUR_AGO, **common)
        lost = await Card.create(image_path="cards/gone.jpg", claimed_at=None, **common)
        # A claim that a live reader elsewhere keeps renewing.
        busy = await Card.create(image_path="cards/left.jpg", claimed_at=utcnow() + AN_HOUR_AGO, **common)
    finally:
        await close_database()
    return {"user": user.id, "crashed": crashed.id, "lost": lost.id, "busy": busy.id}


async def test_cards_left_pending_are_read_when_the_server_starts(settings):
    from fieldline.app import create_app

    seeded = await _seed_left_pending(settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READ_DEADLINE_S
        while await Card.filter(id__in=[seeded["crashed"], seeded["lost"]], status=CardStatus.PENDING).exists():
            assert loop.time() < deadline, "the cards left pending were not read"
            await asyncio.sleep(0.2)
        crashed, lost, busy = [await Card.get(id=seeded[k]) for k in ("crashed", "lost", "busy")]
        events = await events_for(seeded["user"])
    assert crashed.status == CardStatus.DONE and crashed.card_fields["mobile"] == corpus_card()[1]["mobile"]
    assert crashed.attempts == 2
    assert lost.status == CardStatus.FAILED and lost.error == "the stored image is missing"
    assert busy.status == CardStatus.PENDING and busy.attempts == 1  # another live reader holds it
    parsed = sorted((e["data"]["id"], e["data"]["status"]) for e in events if e["type"] == "card.parsed")
    assert parsed == sorted([(crashed.id, "done"), (lost.id, "failed")])
