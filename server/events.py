"""Every event type Fieldline sends over the real-time channel, with its payload.

This is the one catalogue: each `EventType` has a typed payload (a TypedDict)
in `PAYLOADS`, `server.transaction.emit` takes that payload, and the socket
part of the docs (`docs/events.md`, "Event catalogue") and the AsyncAPI
document are generated from `event_schemas()`.

Durable events are rows in the recipient's event log with a gap-free `seq`
(written by `server.transaction`); ephemeral ones (`Ephemeral`, decided by an
action and sent by the socket layer) go straight through the broker and are
never stored or replayed. Nothing else invents an event type.

With `FIELDLINE_CHECK_EVENTS=1` (the test suite sets it) every payload is
checked against its type when it is emitted, so a payload that drifts from
its type fails the test that caused it.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

# Payloads are checked strictly: no extra keys, no missing ones, no "1" for 1.
_STRICT = ConfigDict(extra="forbid", strict=True)


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
    APPROVAL_UPDATED = "approval.updated"
    APPROVAL_COUNTS = "approval.counts"
    LEAD_UPDATED = "lead.updated"
    # ephemeral
    TYPING = "typing"
    PRESENCE = "presence"

    @property
    def durable(self) -> bool:
        return self not in EPHEMERAL


EPHEMERAL = frozenset({EventType.TYPING, EventType.PRESENCE})


@with_config(_STRICT)
class Link(TypedDict):
    type: str | None
    id: int | None


@with_config(_STRICT)
class Tombstone(TypedDict):
    """A record that is gone (a deleted task, a conversation one has left)."""

    id: int
    deleted: Literal[True]


@with_config(_STRICT)
class MessagePayload(TypedDict):
    """A chat message (`message.new`, `message.edited`, `message.deleted`)."""

    id: int
    conversation_id: int
    sender_id: int
    client_id: str
    body: str
    mentions: list[int]
    attachments: list[int]
    created_at: str
    edited_at: str | None
    deleted: bool


@with_config(_STRICT)
class ConversationPayload(TypedDict):
    """A conversation as one member sees it (their own unread count)."""

    id: int
    kind: str
    title: str | None
    member_ids: list[int]
    owner_id: int | None
    department_id: int | None
    last_message: MessagePayload | None
    unread_count: int
    updated_at: str


@with_config(_STRICT)
class ReadPayload(TypedDict):
    conversation_id: int
    user_id: int
    up_to_message_id: int


@with_config(_STRICT)
class NotificationPayload(TypedDict):
    id: int
    kind: str
    title: str
    body: str
    link: Link
    data: dict[str, Any]
    read: bool
    created_at: str


@with_config(_STRICT)
class Subject(TypedDict):
    type: str | None
    id: int | None


@with_config(_STRICT)
class FeedItemPayload(TypedDict):
    id: int
    kind: str
    author_id: int
    body: str
    mentions: list[int]
    visibility: str
    subject: Subject
    attachments: list[dict[str, Any]]  # {"type": "photo"|"file", "id"} or {"type": "link", "url", "name"?}
    like_count: int
    comment_count: int
    liked_by_me: bool
    created_at: str


@with_config(_STRICT)
class CommentPayload(TypedDict):
    id: int
    post_id: int
    author_id: int
    body: str
    mentions: list[int]
    created_at: str


@with_config(_STRICT)
class TaskPayload(TypedDict):
    id: int
    kind: str
    title: str
    notes: str | None
    start_at: str | None
    due_at: str | None
    remind_at: str | None
    assignee_id: int
    created_by: int
    status: str
    subject: Subject
    private: bool
    reject_reason: str | None
    completed_at: str | None
    created_at: str
    updated_at: str
    version: int


@with_config(_STRICT)
class CardPayload(TypedDict):
    id: int
    owner_id: int
    status: str
    fields: dict[str, Any]
    confidence: dict[str, float]
    raw_text: str | None
    error: str | None
    duplicates: list[dict[str, Any]]
    contact_id: int | None
    customer_id: int | None
    created_at: str
    updated_at: str


@with_config(_STRICT)
class ReminderPayload(TypedDict):
    reminder_id: int
    kind: str
    title: str
    due_at: str | None
    link: Link
    late: bool


@with_config(_STRICT)
class ApprovalStepPayload(TypedDict):
    number: int
    kind: str
    approver_ids: list[int]
    status: str
    started_at: str | None
    decided_at: str | None
    decided_by: int | None
    comment: str | None


@with_config(_STRICT)
class RecordRef(TypedDict):
    type: str
    id: int


@with_config(_STRICT)
class ApprovalPayload(TypedDict):
    """An approval request as `GET /api/v1/approvals/{id}` renders it (docs/approvals.md)."""

    id: int
    kind: str
    template_id: int
    template_version: int
    title: str
    amount: float | None
    currency: str
    subject: RecordRef | None
    data: dict[str, Any]
    submitter_id: int
    status: str
    current_step: int | None
    steps: list[ApprovalStepPayload]
    cc_ids: list[int]
    reason: str | None
    allow_forward: bool
    created_at: str
    updated_at: str
    decided_at: str | None
    version: int


@with_config(_STRICT)
class ApprovalCountsPayload(TypedDict):
    """The approval inbox badge: requests waiting for the user, and their own under review."""

    waiting: int
    submitted_pending: int


LeadStatus = Literal["new", "following", "converted", "dropped"]


@with_config(_STRICT)
class LeadPayload(TypedDict):
    """A lead (线索) as `GET /api/v1/leads/{id}` renders it (docs/leads.md)."""

    id: int
    company: str
    contact_name: str | None
    phone: str | None
    email: str | None
    address: str | None
    note: str | None
    source: str
    status: LeadStatus
    owner_id: int
    follow_up_by: str | None
    followed_at: str | None
    customer_id: int | None
    created_at: str
    updated_at: str
    version: int


@with_config(_STRICT)
class TypingPayload(TypedDict):
    conversation_id: int
    user_id: int


@with_config(_STRICT)
class PresencePayload(TypedDict):
    user_id: int
    online: bool
    last_seen: str | None


Payload = (
    MessagePayload | ConversationPayload | Tombstone | ReadPayload | NotificationPayload | FeedItemPayload
    | CommentPayload | TaskPayload | CardPayload | ReminderPayload | TypingPayload | PresencePayload
    | ApprovalPayload | ApprovalCountsPayload | LeadPayload
)

# The payload each event type carries (API.md, "Real-time channel").
PAYLOADS: dict[EventType, Any] = {
    EventType.MESSAGE_NEW: MessagePayload,
    EventType.MESSAGE_EDITED: MessagePayload,
    EventType.MESSAGE_DELETED: MessagePayload,
    EventType.CONVERSATION_UPDATED: ConversationPayload | Tombstone,
    EventType.READ_UPDATED: ReadPayload,
    EventType.NOTIFICATION_NEW: NotificationPayload,
    EventType.FEED_NEW: FeedItemPayload,
    EventType.COMMENT_NEW: CommentPayload,
    EventType.TASK_UPDATED: TaskPayload | Tombstone,
    EventType.CARD_PARSED: CardPayload,
    EventType.REMINDER: ReminderPayload,
    EventType.APPROVAL_UPDATED: ApprovalPayload,
    EventType.APPROVAL_COUNTS: ApprovalCountsPayload,
    EventType.LEAD_UPDATED: LeadPayload | Tombstone,
    EventType.TYPING: TypingPayload,
    EventType.PRESENCE: PresencePayload,
}

_ADAPTERS: dict[EventType, TypeAdapter[Any]] = {t: TypeAdapter(p) for t, p in PAYLOADS.items()}


@dataclass(frozen=True, slots=True)
class Ephemeral:
    """A typing or presence event an action decided on: its type, who gets it, its data."""

    type: EventType
    recipients: list[int] | set[int]
    data: TypingPayload | PresencePayload

    def __post_init__(self) -> None:
        if checking():
            check_payload(self.type, self.data)


class PayloadMismatch(TypeError):
    """An emitted payload does not have the shape its event type promises."""


def checking() -> bool:
    return os.environ.get("FIELDLINE_CHECK_EVENTS") == "1"


def check_payload(event_type: EventType, data: Any) -> None:
    """Raise PayloadMismatch when `data` is not a `PAYLOADS[event_type]`."""
    try:
        _ADAPTERS[event_type].validate_python(data)
    except ValidationError as error:
        raise PayloadMismatch(f"{event_type.value}: the payload does not match its type:\n{error}") from None


def event_schemas() -> dict[str, dict[str, Any]]:
    """Each event type: whether it is durable, and its payload's JSON Schema (for docs and AsyncAPI)."""
    return {
        t.value: {"durable": t.durable, "payload": _ADAPTERS[t].json_schema(ref_template="#/$defs/{model}")}
        for t in EventType
    }


def markdown_catalogue() -> str:
    """The "Event catalogue" section of docs/events.md, generated from the types above."""
    lines = ["| type | kind | payload fields |", "|---|---|---|"]
    for name, entry in event_schemas().items():
        schema = entry["payload"]
        variants = schema.get("anyOf", [schema])
        shapes = []
        for variant in variants:
            target = _resolve(schema, variant)
            shapes.append(", ".join(f"`{field}`" for field in target.get("properties", {})))
        kind = "durable" if entry["durable"] else "ephemeral"
        lines.append(f"| `{name}` | {kind} | {' — or — '.join(shapes)} |")
    return "\n".join(lines) + "\n"


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved: dict[str, Any] = root["$defs"][ref.rsplit("/", 1)[-1]]
        return resolved
    return node


if __name__ == "__main__":
    print(markdown_catalogue(), end="")
