"""Chat: conversations, members, messages and read cursors.

Every change here emits its events to exactly the conversation's members at
commit (all of each member's sockets): `message.new|edited|deleted`,
`read.updated`, and `conversation.updated` when the conversation itself or
its members change (each member gets it with their own `unread_count`; a
member who is removed, leaves, or sees it deleted gets `{"id", "deleted": true}`).
A new message does not send `conversation.updated`; `message.new` carries
what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import Field
from tortoise.exceptions import IntegrityError

from server.access import Viewer
from server.actions import chat_posting
from server.actions.notify import notify
from server.actions.push import PushNote, queue_pushes
from server.clock import utcnow
from server.errors import conflict, forbidden, invalid_field, not_found
from server.events import Ephemeral, EventType, ReadPayload
from server.i18n import Text
from server.mentions import resolve_mentions
from server.models.chat import Conversation, ConversationMember, Message
from server.models.identity import User
from server.paging import tombstone
from server.actions.files import mark_attached
from server.queries.attachments import check_upload_ids
from server.queries.chat import access_conversation, access_message, member_ids, render_for_members
from server.queries.orm import column
from server.render.chat import read_marker, render_message
from server.transaction import Emitted, atomic, emit
from server.validation import MAX_DB_INT

MAX_BODY_CHARS = 10_000
MAX_CLIENT_ID_CHARS = 128
MAX_ATTACHMENTS = 10
MAX_GROUP_MEMBERS = 500
# The limits as request types, for the HTTP bodies and the socket's frames alike.
MessageBody = Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]
ClientId = Annotated[str, Field(min_length=1, max_length=MAX_CLIENT_ID_CHARS)]


def _check_body(body: str) -> None:
    """The limits once more for callers that did not parse a request (a whitespace body too)."""
    if not body.strip():
        raise invalid_field("body", "must not be empty")
    if len(body) > MAX_BODY_CHARS:
        raise invalid_field("body", f"must be at most {MAX_BODY_CHARS} characters")


async def _active_users(user_ids: Iterable[int], field: str = "member_ids") -> list[int]:
    wanted = sorted(set(user_ids))
    found = set(await column(User.filter(id__in=wanted, active=True), "id"))
    missing = [u for u in wanted if u not in found]
    if missing:
        raise invalid_field(field, f"has unknown users {missing}")
    return wanted


async def _join(conversation: Conversation, user_ids: Iterable[int]) -> list[int]:
    """Make users members (again); they start with everything so far read."""
    joined = []
    for user_id in user_ids:
        read = conversation.last_message_id or 0
        updated = await ConversationMember.filter(
            conversation_id=conversation.id, user_id=user_id, left_at__isnull=False
        ).update(left_at=None, joined_at=utcnow(), last_read_message_id=read)
        if updated or not await ConversationMember.exists(conversation_id=conversation.id, user_id=user_id):
            if not updated:
                await ConversationMember.create(conversation=conversation, user_id=user_id, last_read_message_id=read)
            joined.append(user_id)
    return joined


async def _part(conversation: Conversation, user_ids: Iterable[int]) -> list[int]:
    ids = list(user_ids)
    gone = list(await column(ConversationMember.filter(
        conversation_id=conversation.id, user_id__in=ids, left_at__isnull=True
    ), "user_id"))
    if gone:
        await ConversationMember.filter(conversation_id=conversation.id, user_id__in=gone).update(left_at=utcnow())
    return gone


async def _announce(conversation: Conversation, gone: Iterable[int] = ()) -> None:
    """`conversation.updated` to every member (their own unread count) and tombstones to `gone`."""
    await conversation.save(update_fields=["updated_at"])
    if conversation.deleted_at is None:
        for user_id, rendered in (await render_for_members(conversation)).items():
            emit(EventType.CONVERSATION_UPDATED, [user_id], rendered)
    emit(EventType.CONVERSATION_UPDATED, gone, tombstone(conversation.id))


async def open_direct(viewer: Viewer, other_id: int) -> tuple[Conversation, bool]:
    """The pair's conversation: created once (True), then the same one (False)."""
    if other_id == viewer.id:
        raise invalid_field("member_ids", "must name one colleague other than you")
    await _active_users([other_id])
    key = f"{min(viewer.id, other_id)}:{max(viewer.id, other_id)}"
    existing = await Conversation.get_or_none(direct_key=key)
    if existing is not None:
        return existing, False
    try:
        async with atomic():
            conversation = await Conversation.create(kind="direct", direct_key=key)
            await _join(conversation, [viewer.id, other_id])
            await _announce(conversation)
    except IntegrityError:  # the other person opened it at the same moment
        return await Conversation.get(direct_key=key), False
    return conversation, True


async def create_group(viewer: Viewer, title: str, user_ids: list[int]) -> Conversation:
    """A group owned by its creator, who is always a member."""
    if not title.strip():
        raise invalid_field("title", "must not be empty")
    members = await _active_users([*user_ids, viewer.id])
    if len(members) > MAX_GROUP_MEMBERS:
        raise invalid_field("member_ids", f"may name at most {MAX_GROUP_MEMBERS} people")
    async with atomic():
        conversation = await Conversation.create(kind="group", title=title.strip(), owner_id=viewer.id)
        await _join(conversation, members)
        await _announce(conversation)
    return conversation


async def open_department(viewer: Viewer, department_id: int) -> tuple[Conversation, bool]:
    """The department's group; its members are the department's people, kept in step."""
    from server.models.identity import Department

    department = await Department.get_or_none(id=department_id)
    if department is None:
        raise invalid_field("department_id", "is not a department")
    if viewer.user.department_id != department_id and not viewer.is_admin:
        raise forbidden("Only people in the department (or an administrator) may open its group.")
    async with atomic():
        await Department.select_for_update().get(id=department_id)  # one group per department
        existing = await Conversation.get_or_none(kind="department", department_id=department_id, deleted_at__isnull=True)
        if existing is not None:
            return existing, False
        conversation = await Conversation.create(kind="department", title=department.name, department_id=department_id)
        people = await column(User.filter(department_id=department_id, active=True), "id")
        await _join(conversation, people)
        await _announce(conversation)
    return conversation, True


async def follow_department_change(user_id: int, old: int | None, new: int | None) -> None:
    """A user entered or left a department: join/leave its group (inside the caller's transaction)."""
    if old == new:
        return
    async with atomic():
        if old is not None:
            for conversation in await Conversation.filter(kind="department", department_id=old, deleted_at__isnull=True):
                if await _part(conversation, [user_id]):
                    await _announce(conversation, gone=[user_id])
        if new is not None:
            for conversation in await Conversation.filter(kind="department", department_id=new, deleted_at__isnull=True):
                if await _join(conversation, [user_id]):
                    await _announce(conversation)


async def _owned_group(viewer: Viewer, conversation_id: int) -> Conversation:
    conversation = await access_conversation(viewer, conversation_id)
    if conversation.kind != "group":
        raise conflict(f"Members of a {conversation.kind} conversation cannot be changed by hand.")
    if conversation.owner_id != viewer.id:
        raise forbidden("Only the owner of the group may do this.")
    return conversation


async def add_members(viewer: Viewer, conversation_id: int, user_ids: list[int]) -> Conversation:
    conversation = await _owned_group(viewer, conversation_id)
    wanted = await _active_users(user_ids, "user_ids")
    if len(set(wanted) | set(await member_ids(conversation.id))) > MAX_GROUP_MEMBERS:
        raise invalid_field("user_ids", f"would make the group larger than {MAX_GROUP_MEMBERS}")
    async with atomic():
        if await _join(conversation, wanted):
            await _announce(conversation)
    return conversation


async def remove_members(viewer: Viewer, conversation_id: int, user_ids: list[int]) -> Conversation:
    conversation = await _owned_group(viewer, conversation_id)
    if viewer.id in user_ids:
        raise invalid_field("user_ids", "must not name you: leave the group instead")
    async with atomic():
        gone = await _part(conversation, user_ids)
        if gone:
            await _announce(conversation, gone=gone)
    return conversation


async def leave(viewer: Viewer, conversation_id: int) -> None:
    """Leave a group; its ownership passes to the longest-standing member, and the
    group is deleted when nobody is left."""
    conversation = await access_conversation(viewer, conversation_id)
    if conversation.kind != "group":
        raise conflict(f"A {conversation.kind} conversation cannot be left.")
    async with atomic():
        await _part(conversation, [viewer.id])
        remaining = await column(ConversationMember.filter(
            conversation_id=conversation.id, left_at__isnull=True
        ).order_by("joined_at", "id"), "user_id")
        if not remaining:
            conversation.deleted_at = utcnow()
        elif conversation.owner_id == viewer.id:
            conversation.owner_id = remaining[0]
        await conversation.save()
        await _announce(conversation, gone=[viewer.id])


async def delete_conversation(viewer: Viewer, conversation_id: int) -> None:
    conversation = await access_conversation(viewer, conversation_id)
    if conversation.owner_id != viewer.id:
        raise forbidden("Only the owner of the group may delete it.")
    async with atomic():
        members = await member_ids(conversation.id)
        conversation.deleted_at = utcnow()
        await conversation.save()
        await _announce(conversation, gone=members)


def _check_attachments(attachments: list[int] | None) -> list[int]:
    items = list(attachments or [])
    if len(items) > MAX_ATTACHMENTS:
        raise invalid_field("attachments", f"may hold at most {MAX_ATTACHMENTS} files")
    if any(not isinstance(i, int) or isinstance(i, bool) or not 0 < i <= MAX_DB_INT for i in items):
        raise invalid_field("attachments", "must be ids of uploaded files")
    return items


async def _mentions(body: str, conversation_id: int) -> list[int]:
    """Members named with `@` (only they can read the message)."""
    if "@" not in body:
        return []
    members = await member_ids(conversation_id)
    members_now = await User.filter(id__in=members, active=True)
    return await resolve_mentions(body, members_now, refuse_ambiguous=True)


async def _notify_mentioned(viewer: Viewer, title: str | None, conversation_id: int, message: Message) -> None:
    """A `mention` notification to each member named in a new message (not the sender)."""
    named = set(message.mentions or []) - {viewer.id}
    if named:
        text = (Text("mention.chat_in", author=viewer.user.name, conversation=title)
                if title else Text("mention.chat", author=viewer.user.name))
        await notify(named, "mention", text, message.body[:200],
                     link_type="conversation", link_id=conversation_id,
                     data={"conversation_id": conversation_id, "message_id": message.id})


async def _push_direct(
    viewer: Viewer, kind: str, conversation_id: int, message: Message, members: list[int], event: Emitted
) -> None:
    """A direct message is pushed to the other person (unless it mentions them: that push went already)."""
    if kind != "direct":
        return
    others = sorted(set(members) - {viewer.id} - set(message.mentions or []))
    if others:
        await queue_pushes("chat", "conversation", conversation_id,
                           [PushNote(u, event, f"message-{message.id}", viewer.user.name, message.body) for u in others])


async def send_message(
    viewer: Viewer, conversation_id: int, client_id: str, body: str, attachments: list[int] | None = None
) -> tuple[Message, bool]:
    """Post a message; the same `client_id` again returns the first one (False).

    The message, the conversation's last message and the sender's read cursor
    are written by `chat_posting.post` in a few hand-written statements; a
    sender who is not a member gets 404 and nothing is written.
    """
    _check_body(body)
    files = _check_attachments(attachments)
    await check_upload_ids(viewer, files)
    mentions = await _mentions(body, conversation_id)
    try:
        async with atomic():
            posted = await chat_posting.post(viewer.id, conversation_id, client_id, body, files, mentions, utcnow())
            if posted is not None:
                message = posted.message
                await mark_attached(files)
                event = emit(EventType.MESSAGE_NEW, posted.members, render_message(message))
                await _notify_mentioned(viewer, posted.title, conversation_id, message)
                await _push_direct(viewer, posted.kind, conversation_id, message, posted.members, event)
    except IntegrityError:  # the same client_id raced in on another connection
        earlier = await Message.get_or_none(sender_id=viewer.id, client_id=client_id)
        if earlier is None:
            raise
        return earlier, False
    if posted is None:  # not a member (404), or the client_id was used before
        await access_conversation(viewer, conversation_id)
        earlier = await Message.get_or_none(sender_id=viewer.id, client_id=client_id)
        if earlier is None:  # the sender left between the two reads
            raise not_found("conversation")
        return earlier, False
    return posted.message, True


async def _own_message(viewer: Viewer, message_id: int) -> Message:
    message = await access_message(viewer, message_id)
    if message.sender_id != viewer.id:
        raise forbidden("Only the sender may change a message.")
    if message.deleted:
        raise conflict("This message was deleted.")
    return message


async def edit_message(viewer: Viewer, message_id: int, body: str) -> Message:
    message = await _own_message(viewer, message_id)
    _check_body(body)
    async with atomic():
        message.body, message.edited_at = body, utcnow()
        message.mentions = await _mentions(body, message.conversation_id)
        await message.save(update_fields=["body", "edited_at", "mentions"])
        emit(EventType.MESSAGE_EDITED, await member_ids(message.conversation_id), render_message(message))
    return message


async def delete_message(viewer: Viewer, message_id: int) -> Message:
    message = await _own_message(viewer, message_id)
    async with atomic():
        message.deleted, message.body, message.edited_at = True, "", utcnow()
        await message.save(update_fields=["deleted", "body", "edited_at"])
        emit(EventType.MESSAGE_DELETED, await member_ids(message.conversation_id), render_message(message))
    return message


async def mark_read(viewer: Viewer, conversation_id: int, up_to_message_id: int) -> ReadPayload:
    """Move the viewer's read cursor forward (never back) and tell the members."""
    conversation = await access_conversation(viewer, conversation_id)
    up_to = min(up_to_message_id, conversation.last_message_id or 0)
    async with atomic():
        moved = await ConversationMember.filter(
            conversation_id=conversation.id, user_id=viewer.id, last_read_message_id__lt=up_to
        ).update(last_read_message_id=up_to)
        if moved:
            emit(EventType.READ_UPDATED, await member_ids(conversation.id), read_marker(conversation.id, viewer.id, up_to))
    cursor = await ConversationMember.get(conversation_id=conversation.id, user_id=viewer.id)
    return read_marker(conversation.id, viewer.id, cursor.last_read_message_id)


async def typing(viewer: Viewer, conversation_id: int) -> Ephemeral:
    """The `typing` event for the conversation's other members (404 when the viewer is not one)."""
    conversation = await access_conversation(viewer, conversation_id)
    others = [m for m in await member_ids(conversation.id) if m != viewer.id]
    return Ephemeral(EventType.TYPING, others, {"conversation_id": conversation.id, "user_id": viewer.id})
