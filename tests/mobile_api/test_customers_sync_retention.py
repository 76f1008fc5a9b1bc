"""Customer sight notes are kept for `FIELDLINE_SYNC_NOTES_DAYS` and pruned after it by a
once-per-cluster job; a delta sync from any time is answered, as the contract says."""

from __future__ import annotations

import datetime as dt

from schedulers.jobs import JOBS
from server.actions import customers_sight
from server.actions.customers_sight import prune_sight_changes
from server.clock import utcnow
from server.models.customers import CustomerSightChange
from tests.support.customers import make_customer


async def _transfer_away(org, name: str) -> int:
    customer = await make_customer(org, "rep_sh", name)
    moved = await org.post("admin", f"/api/v1/customers/{customer['id']}/transfer", {"owner_id": org.rep_west.id})
    assert moved.status_code == 200, moved.text
    return customer["id"]


async def test_pruning_deletes_notes_older_than_the_retention_only(org, monkeypatch) -> None:
    old = [await _transfer_away(org, f"旧事{n}贸易") for n in range(3)]
    recent = await _transfer_away(org, "新事贸易")
    assert await CustomerSightChange.filter(customer_id__in=old).count() >= 3
    long_ago = utcnow() - dt.timedelta(days=90, minutes=1)
    await CustomerSightChange.filter(customer_id__in=old).update(changed_at=long_ago)
    kept = await CustomerSightChange.filter(customer_id=recent).count()
    assert kept >= 1
    monkeypatch.setattr(customers_sight, "PRUNE_BATCH", 2)  # several batches
    deleted = await prune_sight_changes()
    assert deleted >= 3
    assert await CustomerSightChange.filter(customer_id__in=old).count() == 0
    assert await CustomerSightChange.filter(customer_id=recent).count() == kept
    assert await prune_sight_changes() == 0


async def test_an_explicit_cutoff(org) -> None:
    customer_id = await _transfer_away(org, "截止贸易")
    assert await prune_sight_changes(utcnow() - dt.timedelta(minutes=5)) == 0
    assert await prune_sight_changes(utcnow() + dt.timedelta(seconds=1)) >= 1
    assert await CustomerSightChange.filter(customer_id=customer_id).count() == 0


async def test_a_sync_from_long_ago_is_answered_with_what_was_kept(org) -> None:
    """The contract takes any `updated_since`: a phone back after a year still
    gets its changes and deletions (and tombstones of notes still kept)."""
    customer_id = await _transfer_away(org, "久别贸易")
    long_ago = (utcnow() - dt.timedelta(days=365)).isoformat()
    for path in ("/api/v1/customers", "/api/v1/contacts", "/api/v1/opportunities"):
        answer = await org.get("rep_sh", path, params={"updated_since": long_ago})
        assert answer.status_code == 200, (path, answer.text)
    customers = (await org.get("rep_sh", "/api/v1/customers", params={"updated_since": long_ago})).json()["items"]
    assert {"id": customer_id, "deleted": True} in customers


def test_pruning_runs_once_per_cluster() -> None:
    [job] = [job for job in JOBS if job.run is prune_sight_changes]
    assert job.lease is True and job.interval_s
