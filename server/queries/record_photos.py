"""Whether a photo attached to a contract or an expense claim is visible through that record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from server.access import Viewer
from server.errors import AppError
from server.models.expenses import RecordPhoto
from server.queries.contracts import access_contract
from server.queries.expenses import access_claim

ACCESS: dict[str, Callable[[Viewer, int], Awaitable[Any]]] = {"contract": access_contract, "expense": access_claim}


async def sees_through_record(viewer: Viewer, photo_id: int) -> bool:
    for subject_type, subject_id in await RecordPhoto.filter(photo_id=photo_id).values_list("subject_type", "subject_id"):
        try:
            await ACCESS[subject_type](viewer, subject_id)
        except AppError:
            continue
        return True
    return False
