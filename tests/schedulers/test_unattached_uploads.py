"""Uploads nothing used within a day are deleted (rows and bytes) by the
scheduler's leased job; attached ones and fresh ones stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from schedulers import service
from schedulers.jobs import JOBS
from server.clock import utcnow
from server.models.visits import Photo
from tests.mobile_api.card_helpers import png_bytes

PDF = b"%PDF-1.4\n%%EOF\n"


async def _upload(org: Any, data: bytes, name: str) -> int:
    answer = await org.post("rep_east1", "/api/v1/files", files={"file": (name, data, "application/pdf")})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _bytes_of(settings: Any, upload: Photo) -> Path:
    return Path(settings.upload_dir) / upload.path


async def test_an_unattached_upload_older_than_a_day_is_gone_attached_and_fresh_ones_stay(org: Any, settings: Any) -> None:
    old_loose = await _upload(org, PDF, "old.pdf")
    old_photo = await _upload(org, png_bytes(), "old.png")
    posted = await _upload(org, PDF, "posted.pdf")
    messaged = await _upload(org, PDF, "messaged.pdf")
    fresh = await _upload(org, PDF, "fresh.pdf")
    assert (await org.post("rep_east1", "/api/v1/posts",
                           {"body": "资料", "attachments": [{"type": "file", "id": posted}]})).status_code == 201
    chat = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "报价", "member_ids": [org.rep_east2.id]})
    assert (await org.post("rep_east1", f"/api/v1/conversations/{chat.json()['id']}/messages",
                           {"client_id": "u-1", "body": "合同", "attachments": [messaged]})).status_code == 201
    two_days_ago = utcnow() - dt.timedelta(days=2)
    await Photo.filter(id__in=[old_loose, old_photo, posted, messaged]).update(created_at=two_days_ago)
    await Photo.filter(id=fresh).update(created_at=utcnow() - dt.timedelta(hours=23))
    stored = {p.id: _bytes_of(settings, p) for p in await Photo.all()}
    assert all(path.is_file() for path in stored.values())

    job = next(job for job in JOBS if job.name == "delete_unattached_uploads")
    assert job.lease  # one process at a time
    await service.JobRunner(1.0).run(job)

    left = set(await Photo.all().values_list("id", flat=True))
    assert left == {posted, messaged, fresh}
    for upload_id, path in stored.items():
        assert path.is_file() == (upload_id in left), upload_id
    assert (await org.get("rep_east2", f"/api/v1/files/{messaged}")).status_code == 200
    assert (await org.get("rep_east1", f"/api/v1/files/{old_loose}")).status_code == 404
