"""Feed items and comments as the API shows them."""

from __future__ import annotations

from typing import Any

from server.models.feed import FeedComment, FeedItem
from server.render import iso


def render_feed_item(item: FeedItem, liked_by_me: bool = False) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "author_id": item.author_id,
        "body": item.body,
        "mentions": list(item.mentions or []),
        "visibility": item.visibility,
        "subject": {"type": item.subject_type, "id": item.subject_id},
        "attachments": list(item.attachments or []),
        "like_count": item.like_count,
        "comment_count": item.comment_count,
        "liked_by_me": liked_by_me,
        "created_at": iso(item.created_at),
    }


def render_comment(comment: FeedComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "author_id": comment.author_id,
        "body": comment.body,
        "mentions": list(comment.mentions or []),
        "created_at": iso(comment.created_at),
    }
