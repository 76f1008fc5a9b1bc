"""Schemas for activities, check-ins, photos, daily reports and dashboards."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from mobile_api.pagination import PageQuery
from mobile_api.validation import OutSchema, QuerySchema
from server.validation import Day, Moment, RecordId, Schema

ActivityKind = Literal["call", "visit", "email", "meeting", "note"]


class ActivityIn(Schema):
    customer_id: RecordId
    contact_id: RecordId | None = None
    opportunity_id: RecordId | None = None
    kind: ActivityKind
    content: str = Field(min_length=1, max_length=10_000)
    reached: bool = True
    next_contact_at: Moment | None = None


class Activity(OutSchema):
    id: int
    author_id: int
    customer_id: int
    contact_id: int | None
    opportunity_id: int | None
    kind: ActivityKind
    content: str
    reached: bool
    next_contact_at: str | None
    created_at: str


class ActivityList(OutSchema):
    items: list[Activity]
    next_cursor: str | None


class ActivitiesQuery(PageQuery):
    customer_id: RecordId | None = None
    user_id: RecordId | None = None
    kind: ActivityKind | None = None
    date: Day | None = None


class _Position(Schema):
    lat: float = Field(json_schema_extra={"minimum": -90, "maximum": 90})
    lng: float = Field(json_schema_extra={"minimum": -180, "maximum": 180})

    @field_validator("lat")
    @classmethod
    def _latitude(cls, value: float) -> float:
        if not -90 <= value <= 90:
            raise ValueError("must be between -90 and 90")
        return value

    @field_validator("lng")
    @classmethod
    def _longitude(cls, value: float) -> float:
        if not -180 <= value <= 180:
            raise ValueError("must be between -180 and 180")
        return value


class CheckInIn(_Position):
    customer_id: RecordId | None = Field(None, description=(
        "The customer visited. Leave it out for a cold visit (陌拜): no distance, and the visit "
        "attaches to lead_id or to a new lead named by company (else by the address)."))
    lead_id: RecordId | None = Field(None, description="Cold visits: the lead visited.")
    company: str | None = Field(None, max_length=200, description="Cold visits: the company of a new lead.")
    accuracy_m: float = Field(ge=0, le=1_000_000)
    captured_at: Moment
    address: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=2000)
    photo_ids: list[RecordId] = Field(default_factory=list, max_length=9)


class CheckOutIn(_Position):
    captured_at: Moment


class CheckIn(OutSchema):
    id: int
    user_id: int
    customer_id: int | None = Field(description="null for a cold visit.")
    lead_id: int | None = Field(None, description="The lead of a cold visit.")
    lat: float
    lng: float
    accuracy_m: float
    captured_at: str
    address: str | None
    note: str | None
    photo_ids: list[int]
    distance_m: float | None
    within_geofence: bool | None
    flags: list[Literal["low_accuracy", "far_from_customer", "clock_skew", "impossible_travel"]]
    checkout_lat: float | None
    checkout_lng: float | None
    checkout_at: str | None
    duration_s: int | None
    created_at: str


class CheckInList(OutSchema):
    date: str
    items: list[CheckIn]
    next_cursor: str | None


class TeamDayQuery(PageQuery):
    user_id: RecordId | None = None
    department_id: RecordId | None = None
    date: Day | None = None


class MapQuery(QuerySchema):
    user_id: RecordId | None = None
    department_id: RecordId | None = None
    date: Day | None = None


class FeatureCollection(OutSchema):
    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


class PhotoUpload(Schema):
    """multipart/form-data: the image in `file` (or `image`); JPEG, PNG or WebP by content."""

    file: bytes | None = Field(None, json_schema_extra={"format": "binary"},
                               description="The photo (≤ 10 MB, ≤ 40 megapixels).")
    image: bytes | None = Field(None, json_schema_extra={"format": "binary"},
                                description="Accepted instead of `file`.")


class FileUpload(Schema):
    """multipart/form-data: the file in `file`. Judged by content, not by its name or declared type."""

    file: bytes = Field(json_schema_extra={"format": "binary"}, description=(
        "A PDF or Office document (docx, xlsx, pptx, doc, xls; ≤ 10 MB), an audio note "
        "(m4a, aac, mp3, ogg, opus, wav, amr, webm audio; ≤ 5 MB) or a JPEG, PNG or WebP image "
        "(≤ 10 MB, ≤ 40 megapixels; kept as a photo)."))


class FileCreated(OutSchema):
    id: int
    content_type: str
    size_bytes: int
    filename: str | None
    width: int | None
    height: int | None


class PhotoCreated(OutSchema):
    id: int
    width: int
    height: int
