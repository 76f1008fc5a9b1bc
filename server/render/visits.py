"""Activities, check-ins, photos and daily reports as the API shows them."""

from __future__ import annotations

from typing import Any

from server.models.visits import Activity, CheckIn, DailyReport, DailyReportVersion
from server.render import iso


def render_activity(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "author_id": activity.author_id,
        "customer_id": activity.customer_id,
        "contact_id": activity.contact_id,
        "opportunity_id": activity.opportunity_id,
        "kind": activity.kind,
        "content": activity.content,
        "reached": activity.reached,
        "next_contact_at": iso(activity.next_contact_at),
        "created_at": iso(activity.created_at),
    }


def render_checkin(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "user_id": checkin.user_id,
        "customer_id": checkin.customer_id,
        "lead_id": checkin.lead_id,
        "lat": checkin.lat,
        "lng": checkin.lng,
        "accuracy_m": checkin.accuracy_m,
        "captured_at": iso(checkin.captured_at),
        "address": checkin.address,
        "note": checkin.note,
        "photo_ids": list(checkin.photo_ids or []),
        "distance_m": checkin.distance_m,
        "within_geofence": checkin.within_geofence,
        "flags": list(checkin.flags or []),
        "checkout_lat": checkin.checkout_lat,
        "checkout_lng": checkin.checkout_lng,
        "checkout_at": iso(checkin.checkout_at),
        "duration_s": checkin.duration_s,
        "created_at": iso(checkin.created_at),
    }


def render_daily_report(report: DailyReport, history: list[DailyReportVersion] | None = None) -> dict[str, Any]:
    answer = {
        "id": report.id,
        "user_id": report.user_id,
        "date": report.date.isoformat(),
        "summary": report.summary,
        "plan": report.plan,
        "problems": report.problems,
        "figures": dict(report.figures or {}),
        "late": report.late,
        "version": report.version,
        "submitted_at": iso(report.submitted_at),
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
    }
    if history is not None:
        answer["history"] = [render_report_version(v) for v in history]
    return answer


def render_report_version(version: DailyReportVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "summary": version.summary,
        "plan": version.plan,
        "problems": version.problems,
        "figures": dict(version.figures or {}),
        "late": version.late,
        "submitted_at": iso(version.submitted_at),
    }
