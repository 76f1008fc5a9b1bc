"""Feed items and comments as the API shows them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson

from server.events import CommentPayload, FeedItemPayload
from server.i18n import Text, render
from server.models.feed import FeedComment, FeedItem
from server.render import iso

# A reader's language and time zone (server.queries.identity.Reader).
Reader = tuple[str, str]


def feed_body(body: str, text: Any, reader: Reader | None) -> str:
    """What a reader sees as an item's body: a line the server wrote in their
    language, anything a person wrote as written. `text` is the stored JSON,
    decoded or (from the feed page's own statement) as the database gave it."""
    if not text or reader is None:
        return body
    if isinstance(text, (str, bytes)):
        return _line(text, *reader)
    return render(Text.from_json(text), *reader)


@lru_cache(maxsize=4096)
def _line(stored: str | bytes, language: str, timezone: str) -> str:
    # The feed page shows the same few lines to the same readers again and again.
    return render(Text.from_json(orjson.loads(stored)), language, timezone)


def render_feed_item(item: FeedItem, liked_by_me: bool = False, reader: Reader | None = None) -> FeedItemPayload:
    return {
        "id": item.id,
        "kind": item.kind,
        "author_id": item.author_id,
        "body": feed_body(item.body, item.text, reader),
        "mentions": list(item.mentions or []),
        "visibility": item.visibility,
        "subject": {"type": item.subject_type, "id": item.subject_id},
        "attachments": list(item.attachments or []),
        "like_count": item.like_count,
        "comment_count": item.comment_count,
        "liked_by_me": liked_by_me,
        "created_at": iso(item.created_at),
    }


def render_comment(comment: FeedComment) -> CommentPayload:
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "author_id": comment.author_id,
        "body": comment.body,
        "mentions": list(comment.mentions or []),
        "created_at": iso(comment.created_at),
    }
