"""A name two active colleagues share mentions neither, and the author is told why.

After a rep renamed himself 王经理 he received the manager's @-mentions; names
are now an administrator's to give, and even so two people may share one.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
async def two_wang(org: Any) -> Any:
    # manager_east is 王经理 already
    await org.add_user("wang_west", "manager", "west", name="王经理")
    return org


def _refused(answer: Any) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["details"]["ambiguous"] == ["王经理"]
    assert "mention them by login" in error["details"]["fields"]["body"]


async def test_a_post_naming_a_shared_name_is_refused_and_notifies_nobody(two_wang: Any) -> None:
    org = two_wang
    _refused(await org.post("rep_east1", "/api/v1/posts", {"body": "@王经理 请批一下报价"}))
    for who in ("manager_east", "wang_west"):
        assert (await org.get(who, "/api/v1/notifications")).json()["items"] == []
    by_login = await org.post("rep_east1", "/api/v1/posts", {"body": "@manager_east 请批一下报价"})
    assert by_login.status_code == 201 and by_login.json()["mentions"] == [org.manager_east.id]


async def test_a_comment_naming_a_shared_name_is_refused(two_wang: Any) -> None:
    org = two_wang
    post = await org.post("rep_east1", "/api/v1/posts", {"body": "今天拜访了三家"})
    _refused(await org.post("rep_east2", f"/api/v1/posts/{post.json()['id']}/comments", {"body": "@王经理 看看"}))
    comments = await org.get("rep_east1", f"/api/v1/posts/{post.json()['id']}/comments")
    assert comments.json()["items"] == []


async def test_a_chat_message_naming_two_members_who_share_a_name_is_refused(two_wang: Any) -> None:
    org = two_wang
    made = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "报价", "member_ids": [org.manager_east.id, org.wang_west.id]})
    path = f"/api/v1/conversations/{made.json()['id']}/messages"
    _refused(await org.post("rep_east1", path, {"client_id": "m-1", "body": "@王经理 明天九点"}))
    sent = await org.post("rep_east1", path, {"client_id": "m-2", "body": "明天九点"})
    _refused(await org.patch("rep_east1", f"/api/v1/messages/{sent.json()['id']}", {"body": "@王经理 明天九点"}))


async def test_a_shared_name_is_fine_when_only_one_of_them_is_active_or_a_member(two_wang: Any) -> None:
    org = two_wang
    made = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "报价", "member_ids": [org.manager_east.id]})
    message = await org.post("rep_east1", f"/api/v1/conversations/{made.json()['id']}/messages",
                             {"client_id": "m-1", "body": "@王经理 明天九点"})
    assert message.status_code == 201 and message.json()["mentions"] == [org.manager_east.id]
    assert (await org.patch("admin", f"/api/v1/users/{org.wang_west.id}", {"active": False})).status_code == 200
    post = await org.post("rep_east1", "/api/v1/posts", {"body": "@王经理 请批一下报价"})
    assert post.status_code == 201 and post.json()["mentions"] == [org.manager_east.id]
