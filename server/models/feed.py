"""The work feed (工作圈): items, comments, likes and follows."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.identity import User


class FeedItem(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # post, checkin, activity, opportunity, daily_report, announcement
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="feed_items", on_delete=fields.CASCADE
    )
    body = fields.TextField(default="")
    # A line the server wrote (check-in, activity...) as server.i18n.Text JSON, shown
    # to each reader in their language; `body` holds it in the author's language.
    text: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    mentions: fields.JSONField[list[int]] = fields.JSONField(default=list)
    visibility = fields.CharField(max_length=12, default="public")  # public, department, private
    department_id = fields.IntField(null=True)  # the author's department when posted
    subject_type = fields.CharField(max_length=16, null=True)  # customer, opportunity
    subject_id = fields.IntField(null=True)
    attachments: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    like_count = fields.IntField(default=0)
    comment_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    deleted_at = fields.DatetimeField(null=True)
    author_id: int

    class Meta:
        table = "feed_items"
        indexes = (("author_id", "id"), ("subject_type", "subject_id"))


class FeedComment(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[FeedItem] = fields.ForeignKeyField(
        "models.FeedItem", related_name="comments", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="feed_comments", on_delete=fields.CASCADE
    )
    body = fields.TextField()
    mentions: fields.JSONField[list[int]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    post_id: int
    author_id: int

    class Meta:
        table = "feed_comments"


class FeedLike(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[FeedItem] = fields.ForeignKeyField(
        "models.FeedItem", related_name="likes", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="feed_likes", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    post_id: int
    user_id: int

    class Meta:
        table = "feed_likes"
        unique_together = (("post_id", "user_id"),)


class Follow(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="follows", on_delete=fields.CASCADE
    )
    target_type = fields.CharField(max_length=16)  # user, customer, opportunity
    target_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    user_id: int

    class Meta:
        table = "follows"
        unique_together = (("user_id", "target_type", "target_id"),)
        indexes = (("target_type", "target_id"),)


class FeedAudience(Model):
    """People named on an item who see it whatever its visibility: those mentioned
    in it, and the members an announcement was addressed to."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[FeedItem] = fields.ForeignKeyField(
        "models.FeedItem", related_name="audience", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="feed_audience", on_delete=fields.CASCADE
    )
    reason = fields.CharField(max_length=16)  # mention, announcement
    item_id: int
    user_id: int

    class Meta:
        table = "feed_audience"
        unique_together = (("user_id", "item_id"),)
