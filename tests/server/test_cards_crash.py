"""A server killed while reading a card: the next server to start reads it."""

from __future__ import annotations

import asyncio


from server.models.cards import Card, CardStatus
from tests.conftest import password_hash
from tests.mobile_api.card_helpers import READ_DEADLINE_S, corpus_card
from tests.support.live import LiveServer, live_client


async def _signed_in_rep(settings) -> tuple[int, str]:
    from server.actions.auth import _open_session
    from server.actions.users import create_user
    from server.transaction import atomic

    user = await create_user(None, {"login": "rep_card", "name": "Rep Card", "role": "rep"}, password_hash=password_hash())
    async with atomic():
        tokens = await _open_session(user)
    return user.id, tokens["access_token"]


async def _wait_for(condition, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READ_DEADLINE_S
    while not await condition():
        assert loop.time() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.2)


async def test_a_card_whose_server_died_mid_read_is_read_by_the_next_server(settings, test_env):
    from fieldline.app import create_app

    # This process only looks at the database: it runs no card reader of its own.
    observer = create_app(settings, run_services=False)
    first = LiveServer(test_env)
    second = LiveServer(test_env)
    async with observer.router.lifespan_context(observer):
        try:
            await _crash_and_restart(settings, first, second)
        finally:
            first.kill()
            await second.stop()


async def _crash_and_restart(settings, first: LiveServer, second: LiveServer) -> None:
    _, token = await _signed_in_rep(settings)
    headers = {"Authorization": f"Bearer {token}"}
    await first.start()
    async with live_client(base_url=first.url, headers=headers) as client:
        accepted = await client.post("/api/v1/cards", files={"image": ("card.jpg", corpus_card()[0], "image/jpeg")})
    assert accepted.status_code == 202, accepted.text
    card_id = accepted.json()["id"]
    await _wait_for(lambda: Card.filter(id=card_id, claimed_at__not_isnull=True).exists(), "the card is claimed")
    first.kill()  # SIGKILL, workers and all: no clean hand-back of the claim
    left = await Card.get(id=card_id)
    assert left.status == CardStatus.PENDING and left.claimed_at is not None and left.attempts == 1

    await second.start()
    await _wait_for(lambda: Card.filter(id=card_id).exclude(status=CardStatus.PENDING).exists(), "the card is read")
    read = await Card.get(id=card_id)
    assert read.status == CardStatus.DONE, (read.status, read.error, second.log())
    assert read.attempts == 2 and read.card_fields["mobile"] == corpus_card()[1]["mobile"]
