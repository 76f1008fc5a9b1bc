"""Field work: follow-up notes (activities), geo-tagged check-ins, their photos
and the daily reports that sum a day up."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from server.models.base import nullable_text
from server.models.customers import Customer
from server.models.identity import User
from server.models.leads import Lead


class Activity(Model):
    """A follow-up note (联系小记): a call, visit, email, meeting or note about a customer."""

    id = fields.IntField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="activities", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="activities", on_delete=fields.CASCADE
    )
    contact_id = fields.IntField(null=True)
    opportunity_id = fields.IntField(null=True)
    kind = fields.CharField(max_length=12)  # call, visit, email, meeting, note
    content = fields.TextField()
    reached = fields.BooleanField(default=True)
    next_contact_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    author_id: int
    customer_id: int

    class Meta:
        table = "activities"
        indexes = (("author_id", "created_at"), ("customer_id", "created_at"))


class CheckIn(Model):
    """A rep's geo-tagged arrival at a customer, with the reasons a manager may doubt it."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="checkins", on_delete=fields.CASCADE
    )
    # None for a cold visit (陌拜), which names a lead instead.
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="checkins", null=True, on_delete=fields.CASCADE
    )
    lead: fields.ForeignKeyNullableRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="checkins", null=True, on_delete=fields.SET_NULL
    )
    lat = fields.FloatField()
    lng = fields.FloatField()
    accuracy_m = fields.FloatField()
    captured_at = fields.DatetimeField()  # the phone's clock when the fix was taken
    address = fields.CharField(max_length=500, null=True)
    note = nullable_text()
    distance_m = fields.FloatField(null=True)  # null when the customer has no location
    within_geofence = fields.BooleanField(null=True)
    flags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    photo_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    checkout_lat = fields.FloatField(null=True)
    checkout_lng = fields.FloatField(null=True)
    checkout_at = fields.DatetimeField(null=True)
    duration_s = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)  # when the server received it
    user_id: int
    customer_id: int | None
    lead_id: int | None

    class Meta:
        table = "checkins"
        indexes = (("user_id", "captured_at"), ("customer_id", "captured_at"))


class Photo(Model):
    """An upload: a photo (re-encoded upright without metadata) or an ordinary file
    (a document or an audio note, kept as sent), stored under the upload folder.

    `filename` is set for ordinary files only (the name offered on download);
    `attached_at` is when something first used it (uploads never attached are
    deleted after a day)."""

    id = fields.IntField(primary_key=True)
    uploader: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="photos", on_delete=fields.CASCADE
    )
    path = fields.CharField(max_length=300)  # relative to upload_dir
    mime = fields.CharField(max_length=100, default="image/jpeg")
    filename = fields.CharField(max_length=200, null=True)
    width = fields.IntField()
    height = fields.IntField()
    size_bytes = fields.IntField()
    attached_at = fields.DatetimeField(null=True)
    checkin: fields.ForeignKeyNullableRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="photos", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    uploader_id: int
    checkin_id: int | None

    class Meta:
        table = "photos"
        indexes = (("attached_at", "created_at"),)


class DailyReport(Model):
    """One report per person per local day. Resubmitting keeps the old text as history."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="daily_reports", on_delete=fields.CASCADE
    )
    date = fields.DateField()  # the day in the author's time zone
    summary = fields.TextField()
    plan = fields.TextField()
    problems = nullable_text()
    figures: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    late = fields.BooleanField(default=False)
    version = fields.IntField(default=1)
    submitted_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    history: fields.ReverseRelation[DailyReportVersion]
    user_id: int

    class Meta:
        table = "daily_reports"
        unique_together = (("user_id", "date"),)
        indexes = (("date", "user_id"),)


class DailyReportVersion(Model):
    """A version of a daily report as it stood before it was resubmitted."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[DailyReport] = fields.ForeignKeyField(
        "models.DailyReport", related_name="history", on_delete=fields.CASCADE
    )
    version = fields.IntField()
    summary = fields.TextField()
    plan = fields.TextField()
    problems = nullable_text()
    figures: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    late = fields.BooleanField(default=False)
    submitted_at = fields.DatetimeField()
    report_id: int

    class Meta:
        table = "daily_report_versions"
        unique_together = (("report_id", "version"),)
