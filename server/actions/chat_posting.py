"""Posting a chat message: the rows it writes, as a few hand-written statements.

A message is the chat's hottest write (each goes to every member's event log
too), and building it through the ORM cost about ten statements and most of
the write's CPU (docs/realtime.md, "Benchmark"). Here it is, inside the
caller's transaction:

- PostgreSQL, two statements: one inserts the message (only when the sender
  is a member of the live conversation; nothing when their `client_id` was
  used before) and moves the conversation's last message and the sender's
  read cursor; the second reads the members. The first locks the
  conversation's row, so the member list, read afterwards, includes anyone
  whose joining committed first (read committed: a new statement sees it).
- SQLite, four: the conversation with its members (the transaction holds the
  database's write lock from `BEGIN IMMEDIATE` on, so nothing changes under
  it), the insert, and the two updates.

`post` returns None when nothing was written: not a member (or no such
conversation) and a `client_id` used before look alike, and the caller tells
them apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import connections

from server.models.chat import Message


@dataclass(frozen=True, slots=True)
class Posted:
    message: Message
    kind: str  # the conversation's
    title: str | None
    members: list[int]  # the conversation's members now, in id order


async def post(
    sender_id: int, conversation_id: int, client_id: str, body: str, attachments: list[int], mentions: list[int],
    now: dt.datetime,
) -> Posted | None:
    """Write the message and move the cursors; None when nothing was written (see above)."""
    connection = connections.get("default")
    values = (conversation_id, sender_id, client_id, body, orjson.dumps(mentions).decode(),
              orjson.dumps(attachments).decode())
    if connection.capabilities.dialect == "postgres":
        found = await _post_postgres(connection, values, now)
    else:
        found = await _post_sqlite(connection, values, now)
    if found is None:
        return None
    message_id, kind, title, members = found
    message = Message(
        id=message_id, conversation_id=conversation_id, sender_id=sender_id, client_id=client_id, body=body,
        mentions=mentions, attachments=attachments, created_at=now, edited_at=None, deleted=False,
    )
    return Posted(message, kind, title, members)


Values = tuple[int, int, str, str, str, str]
Found = tuple[int, str, str | None, list[int]]

_POST_POSTGRES = """
WITH member AS (
    SELECT 1 FROM conversation_members AS m JOIN conversations AS c ON c.id = m.conversation_id
    WHERE m.conversation_id = $1 AND m.user_id = $2 AND m.left_at IS NULL AND c.deleted_at IS NULL
), posted AS (
    INSERT INTO messages (conversation_id, sender_id, client_id, body, mentions, attachments, created_at, deleted)
    SELECT $1::int, $2::int, $3::text, $4::text, $5::jsonb, $6::jsonb, $7::timestamptz, false FROM member
    ON CONFLICT (sender_id, client_id) DO NOTHING
    RETURNING id
), moved AS (
    UPDATE conversations AS c SET last_message_id = posted.id, updated_at = $7::timestamptz FROM posted
    WHERE c.id = $1
    RETURNING c.kind, c.title
), cursor AS (
    UPDATE conversation_members AS m SET last_read_message_id = posted.id FROM posted
    WHERE m.conversation_id = $1 AND m.user_id = $2
)
SELECT posted.id, moved.kind, moved.title FROM posted, moved
"""

_MEMBERS = (
    "SELECT user_id FROM conversation_members WHERE conversation_id = $1 AND left_at IS NULL ORDER BY user_id"
)


async def _post_postgres(connection: BaseDBAsyncClient, values: Values, now: dt.datetime) -> Found | None:
    rows = await connection.execute_query_dict(_POST_POSTGRES, [*values, now])
    if not rows:
        return None
    members = await connection.execute_query_dict(_MEMBERS, [values[0]])
    row = rows[0]
    return row["id"], row["kind"], row["title"], [m["user_id"] for m in members]


_CONVERSATION_SQLITE = (
    "SELECT c.kind, c.title, m.user_id FROM conversations AS c"
    " JOIN conversation_members AS m ON m.conversation_id = c.id AND m.left_at IS NULL"
    " WHERE c.id = ? AND c.deleted_at IS NULL ORDER BY m.user_id"
)
_INSERT_SQLITE = (
    "INSERT INTO messages (conversation_id, sender_id, client_id, body, mentions, attachments, created_at, deleted)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id"
)


async def _post_sqlite(connection: BaseDBAsyncClient, values: Values, now: dt.datetime) -> Found | None:
    conversation_id, sender_id = values[0], values[1]
    rows = await connection.execute_query_dict(_CONVERSATION_SQLITE, [conversation_id])
    members = [row["user_id"] for row in rows]
    if sender_id not in members:
        return None
    stamp = now.isoformat(sep=" ")  # how Tortoise stores a datetime in SQLite
    inserted = await connection.execute_query_dict(_INSERT_SQLITE, [*values, stamp])
    if not inserted:
        return None
    message_id = inserted[0]["id"]
    await connection.execute_query(
        "UPDATE conversations SET last_message_id = ?, updated_at = ? WHERE id = ?", [message_id, stamp, conversation_id]
    )
    await connection.execute_query(
        "UPDATE conversation_members SET last_read_message_id = ? WHERE conversation_id = ? AND user_id = ?",
        [message_id, conversation_id, sender_id],
    )
    return message_id, rows[0]["kind"], rows[0]["title"], members
