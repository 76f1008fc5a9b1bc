"""Every event type Fieldline sends over the real-time channel.

Durable events are rows in the recipient's event log with a gap-free `seq`
(written by `server.transaction`); ephemeral ones go straight through the
broker and are never stored or replayed. Nothing else invents an event type.
"""

from __future__ import annotations

import enum


class EventType(str, enum.Enum):
    # durable
    MESSAGE_NEW = "message.new"
    MESSAGE_EDITED = "message.edited"
    MESSAGE_DELETED = "message.deleted"
    CONVERSATION_UPDATED = "conversation.updated"
    READ_UPDATED = "read.updated"
    NOTIFICATION_NEW = "notification.new"
    FEED_NEW = "feed.new"
    COMMENT_NEW = "comment.new"
    TASK_UPDATED = "task.updated"
    CARD_PARSED = "card.parsed"
    REMINDER = "reminder"
    # ephemeral
    TYPING = "typing"
    PRESENCE = "presence"

    @property
    def durable(self) -> bool:
        return self not in EPHEMERAL


EPHEMERAL = frozenset({EventType.TYPING, EventType.PRESENCE})
