"""Conversations, their members, messages and read cursors (members only)."""

from __future__ import annotations

from typing import Any

from mobile_api.routing import Call, Reply, api
from mobile_api.schemas import chat as s
from server.actions import chat
from server.queries import chat as q
from server.render.chat import render_message

CONVERSATION = "/api/v1/conversations/{id:int}"


@api.post("/api/v1/conversations", body=s.ConversationIn, response=s.Conversation, status=201, also=(200,),
          idempotent=True, errors=(403,))
async def create_conversation(call: Call) -> Any:
    """Open a direct conversation (200 with the existing one), a group, or a department's group."""
    body = call.body
    if body.kind == "direct":
        conversation, created = await chat.open_direct(call.viewer, body.member_ids[0])
    elif body.kind == "group":
        conversation, created = await chat.create_group(call.viewer, body.title, body.member_ids), True
    else:
        conversation, created = await chat.open_department(call.viewer, body.department_id)
    return Reply(await q.conversation_answer(conversation, call.user_id), 201 if created else 200)


@api.get("/api/v1/conversations", query=s.ConversationsQuery, response=s.ConversationList)
async def list_conversations(call: Call) -> Any:
    """The caller's conversations, latest activity first, with unread counts."""
    query = call.query
    return await q.list_conversations(call.viewer, query.limit, query.cursor, query.updated_since)


@api.get(CONVERSATION, response=s.Conversation)
async def get_conversation(call: Call) -> Any:
    """One conversation of the caller's."""
    return await q.conversation_answer(await q.access_conversation(call.viewer, call["id"]), call.user_id)


@api.delete(CONVERSATION, status=204, errors=(403,))
async def delete_conversation(call: Call) -> None:
    """Delete a group (its owner)."""
    await chat.delete_conversation(call.viewer, call["id"])


@api.post(CONVERSATION + "/members", body=s.MembersIn, response=s.Conversation, errors=(403, 409))
async def add_members(call: Call) -> Any:
    """Add people to a group (its owner)."""
    conversation = await chat.add_members(call.viewer, call["id"], call.body.user_ids)
    return await q.conversation_answer(conversation, call.user_id)


@api.delete(CONVERSATION + "/members", body=s.MembersIn, response=s.Conversation, errors=(403, 409))
async def remove_members(call: Call) -> Any:
    """Remove people from a group (its owner); body `{"user_ids": [...]}`."""
    conversation = await chat.remove_members(call.viewer, call["id"], call.body.user_ids)
    return await q.conversation_answer(conversation, call.user_id)


@api.post(CONVERSATION + "/leave", status=204, errors=(409,))
async def leave_conversation(call: Call) -> None:
    """Leave a group."""
    await chat.leave(call.viewer, call["id"])


@api.get(CONVERSATION + "/messages", query=s.HistoryQuery, response=s.MessageList)
async def history(call: Call) -> Any:
    """Messages in id order: the latest, or those before `before_id` / after `after_id`."""
    query = call.query
    return await q.history(call.viewer, call["id"], query.before_id, query.after_id, query.limit, query.cursor)


@api.post(CONVERSATION + "/messages", body=s.MessageIn, response=s.Message, status=201, also=(200,))
async def send_message(call: Call) -> Any:
    """Send a message; the same `client_id` again answers 200 with the first one."""
    body = call.body
    message, created = await chat.send_message(call.viewer, call["id"], body.client_id, body.body, body.attachments)
    return Reply(render_message(message), 201 if created else 200)


@api.patch("/api/v1/messages/{id:int}", body=s.MessagePatchIn, response=s.Message, errors=(403, 409))
async def edit_message(call: Call) -> Any:
    """Change the text of one's own message."""
    return render_message(await chat.edit_message(call.viewer, call["id"], call.body.body))


@api.delete("/api/v1/messages/{id:int}", status=204, errors=(403, 409))
async def delete_message(call: Call) -> None:
    """Delete one's own message (it stays in the history as deleted)."""
    await chat.delete_message(call.viewer, call["id"])


@api.post(CONVERSATION + "/read", body=s.ReadIn, response=s.ReadOut)
async def mark_read(call: Call) -> Any:
    """Move the caller's read cursor up to a message."""
    return await chat.mark_read(call.viewer, call["id"], call.body.up_to_message_id)
