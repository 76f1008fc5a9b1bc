"""Who receives a feed item live (`feed.new`). Refined with the feed's visibility rules."""

from __future__ import annotations

from server.access import managers_of
from server.models.feed import FeedItem, Follow
from server.models.identity import User


async def feed_recipients(item: FeedItem) -> set[int]:
    """The author, people following the author or the subject, the author's managers
    and those mentioned — limited by the item's visibility."""
    followers = set(
        await Follow.filter(target_type="user", target_id=item.author_id).values_list("user_id", flat=True)
    )
    if item.subject_type and item.subject_id:
        followers |= set(
            await Follow.filter(target_type=item.subject_type, target_id=item.subject_id).values_list(
                "user_id", flat=True
            )
        )
    candidates = followers | set(await managers_of(item.author_id)) | set(item.mentions or [])
    if item.visibility == "private":
        candidates = set(item.mentions or [])
    elif item.visibility == "department":
        same_dept = set(
            await User.filter(department_id=item.department_id).values_list("id", flat=True)
        ) if item.department_id else set()
        candidates &= same_dept | set(await managers_of(item.author_id))
    return candidates | {item.author_id}
