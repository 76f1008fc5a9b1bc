"""The typed event catalogue: every type has a payload, emit refuses a payload that
disagrees with its type, and the docs are generated from the catalogue."""

from __future__ import annotations

import pathlib

import jsonschema
import pytest

from server.events import (
    EPHEMERAL,
    PAYLOADS,
    Ephemeral,
    EventType,
    PayloadMismatch,
    check_payload,
    event_schemas,
    markdown_catalogue,
)
from server.transaction import atomic, emit

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "events.md"
READ = {"conversation_id": 3, "user_id": 4, "up_to_message_id": 5}


def test_every_event_type_has_a_payload_type() -> None:
    assert set(PAYLOADS) == set(EventType)


def test_a_payload_that_matches_its_type_passes() -> None:
    check_payload(EventType.READ_UPDATED, READ)
    check_payload(EventType.TASK_UPDATED, {"id": 9, "deleted": True})


@pytest.mark.parametrize("payload", [
    {**READ, "user_id": "4"},  # a string for a number
    {"conversation_id": 3, "user_id": 4},  # a field missing
    {**READ, "extra": 1},  # a field the type does not have
    {"id": 9, "deleted": False},  # a tombstone is deleted
])
def test_a_payload_that_disagrees_with_its_type_is_refused(payload: dict) -> None:
    with pytest.raises(PayloadMismatch, match="read.updated"):
        check_payload(EventType.READ_UPDATED, payload)


async def test_emit_checks_the_payload_under_the_test_suite(org) -> None:
    with pytest.raises(PayloadMismatch):
        async with atomic():
            emit(EventType.READ_UPDATED, [org.admin.id], {"conversation_id": 3})


def test_ephemeral_events_are_checked_too() -> None:
    Ephemeral(EventType.TYPING, [1], {"conversation_id": 1, "user_id": 2})
    with pytest.raises(PayloadMismatch):
        Ephemeral(EventType.PRESENCE, [1], {"conversation_id": 1, "user_id": 2})  # type: ignore[arg-type]


def test_the_schemas_are_json_schemas_for_every_type() -> None:
    schemas = event_schemas()
    assert set(schemas) == {t.value for t in EventType}
    for name, entry in schemas.items():
        jsonschema.Draft202012Validator.check_schema(entry["payload"])
        assert entry["durable"] == (EventType(name) not in EPHEMERAL)
    validator = jsonschema.Draft202012Validator(schemas["read.updated"]["payload"])
    assert validator.is_valid(READ)
    assert not validator.is_valid({**READ, "up_to_message_id": None})


def test_the_docs_catalogue_is_generated_from_the_types() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("<!-- generated: python -m server.events -->\n") + len("<!-- generated: python -m server.events -->\n")
    end = text.index("<!-- end generated -->")
    assert text[start:end] == markdown_catalogue(), "run: python -m server.events, and paste into docs/events.md"
