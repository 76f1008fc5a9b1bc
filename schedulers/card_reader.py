"""Reading uploaded cards in worker processes, for as long as the server runs.

Each new card is read as soon as a worker is free: claim it in the database
(`claim_card`), run OCR in the pool with the `ocr_timeout_s` limit, store
the result or the reason it failed (both tell the owner with `card.parsed`).
While a card is read its claim is renewed every `TICK_S`; a claim not
renewed for `CLAIM_STALE_S` belonged to a reader that died. At start and
then every `TICK_S`, a sweep picks up the pending cards with no live claim:
those uploaded while no reader ran, and those whose reader died. On a clean
stop, the cards being read are handed back unclaimed so the next start
reads them at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from ocr import ImageError
from schedulers.card_reading import read_card_file
from schedulers.ocr_pool import JobTimeout, WorkerCrashed, WorkerPool
from server.actions import cards
from server.clock import utcnow
from server.metrics import CARD_SECONDS
from server.queries.cards import cards_to_read
from server.settings import Settings
from server.uploads import upload_path

log = logging.getLogger(__name__)

TICK_S = 5.0
# Several missed renewals: the event loop of a live reader is never blocked this long.
CLAIM_STALE_S = 20.0


async def _fail(card_id: int, reason: str) -> None:
    await cards.fail_card(card_id, reason)
    log.info("card %d not read: %s", card_id, reason)


class CardReader:
    def __init__(self, pool: WorkerPool, settings: Settings) -> None:
        self.pool = pool
        self.region = settings.phone_region
        self.stale_after = dt.timedelta(seconds=CLAIM_STALE_S)
        self._slots = asyncio.Semaphore(pool.workers)
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._reading: set[int] = set()

    def submit(self, card_id: int) -> None:
        """Read the card soon (once per process, however often it is submitted)."""
        if card_id in self._tasks:
            return
        task = asyncio.get_running_loop().create_task(self._read(card_id))
        self._tasks[card_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(card_id, None))

    async def _read(self, card_id: int) -> None:
        try:
            await self._claim_and_read(card_id)
        except Exception:  # the database failed us: the claim goes stale, a sweep retries
            log.exception("reading card %d stopped", card_id)

    async def _claim_and_read(self, card_id: int) -> None:
        # The claim is taken only once a worker is free, so it is never
        # held (and never goes stale) while the card waits in line.
        async with self._slots:
            card = await cards.claim_card(card_id, utcnow() - self.stale_after)
            if card is None:
                return
            self._reading.add(card_id)
            try:
                await self._run(card_id, upload_path(card.image_path))
            finally:
                self._reading.discard(card_id)

    async def _run(self, card_id: int, path: str) -> None:
        started = time.perf_counter()
        try:
            result = await self.pool.run(read_card_file, path, self.region)
        except JobTimeout as error:
            await _fail(card_id, f"timeout: {error}")
        except WorkerCrashed as error:
            await _fail(card_id, f"crashed: {error}")
        except ImageError as error:
            await _fail(card_id, f"unreadable image: {error.reason}")
        except FileNotFoundError:
            await _fail(card_id, "the stored image is missing")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("reading card %d failed", card_id)
            await _fail(card_id, "the reader failed on this image")
        else:
            await cards.record_card_result(card_id, result)
            seconds = time.perf_counter() - started
            CARD_SECONDS.observe(seconds)
            log.info("card %d read in %.2f s", card_id, seconds)

    async def sweep(self) -> None:
        """Queue every pending card that nobody is reading."""
        for card_id in await cards_to_read(utcnow() - self.stale_after):
            self.submit(card_id)

    async def tick_forever(self) -> None:
        """Renew this reader's claims, then pick up cards nobody reads; again every TICK_S."""
        while True:
            try:
                await cards.refresh_card_claims(sorted(self._reading))
                await self.sweep()
            except Exception:  # the next tick tries again
                log.exception("renewing card claims or sweeping pending cards failed")
            await asyncio.sleep(TICK_S)

    async def stop(self) -> None:
        """Cancel reading and hand the cards in progress back."""
        interrupted = sorted(self._reading)
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await cards.release_card_claims(interrupted)
