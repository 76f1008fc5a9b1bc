"""Prometheus metrics (prometheus-client), one set per process.

Under `fieldline serve` every worker writes its values to files in
`PROMETHEUS_MULTIPROC_DIR` (the CLI sets a fresh folder when the operator has
not) and `GET /metrics`, whichever worker answers it, adds up all of them.
The folder is read when prometheus-client is first imported, so nothing may
import this module before the CLI has set it. Without the variable (tests
that build the app in-process) the default registry of this process serves.

Depths (outboxes, cards waiting) are read from the database when scraped.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

HTTP_REQUESTS = Counter(
    "fieldline_http_requests_total", "HTTP requests answered, by route template and status.",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "fieldline_http_request_duration_seconds", "Time to answer an HTTP request, by route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
OPEN_SOCKETS = Gauge("fieldline_open_sockets", "WebSockets open now.", multiprocess_mode="livesum")
EVENTS_PUBLISHED = Counter("fieldline_events_published_total", "Durable events published after their commit.")
EVENTS_DELIVERED = Counter("fieldline_events_delivered_total", "Durable events written to a socket.")
RESYNCS = Counter("fieldline_resyncs_total", "Sockets told resync_required (resumed from before the retention).")
REMINDER_LATENESS = Histogram(
    "fieldline_reminder_lateness_seconds", "How long after its time a reminder fired.",
    buckets=(0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0),
)
EMAILS = Counter("fieldline_emails_total", "Emails handed to SMTP or the outbox folder, by outcome.", ["outcome"])
CARD_SECONDS = Histogram(
    "fieldline_card_read_seconds", "Seconds to read one business card (OCR and parsing).",
    buckets=(0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0),
)
JOB_RUNS = Counter("fieldline_job_runs_total", "Scheduled job runs, by job and outcome.", ["job", "outcome"])
# Set from the database at each scrape; any worker's latest reading is the answer.
EMAIL_OUTBOX_DEPTH = Gauge("fieldline_email_outbox_depth", "Emails waiting to be sent.", multiprocess_mode="mostrecent")
PUSH_OUTBOX_DEPTH = Gauge("fieldline_push_outbox_depth", "Pushes waiting to be sent.", multiprocess_mode="mostrecent")
CARD_QUEUE_DEPTH = Gauge("fieldline_card_queue_depth", "Cards waiting to be read.", multiprocess_mode="mostrecent")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def exposition() -> bytes:
    """Every metric in Prometheus' text format (all workers' when multi-process)."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        # prometheus-client leaves this constructor unannotated.
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
