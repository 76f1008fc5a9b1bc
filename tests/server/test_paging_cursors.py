"""Cursors a client sends back are checked: anything this server did not give
out is a 422 on `cursor`, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from server.errors import AppError
from server.paging import encode_cursor, time_id_cursor

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone.utc)


def test_a_time_and_id_cursor_round_trips():
    assert time_id_cursor(encode_cursor([NOW.isoformat(), 7])) == (NOW, 7)
    assert time_id_cursor(None) is None and time_id_cursor("") is None


@pytest.mark.parametrize("key", [
    {"0": NOW.isoformat()},  # an object: key[0] is a KeyError
    [NOW.isoformat()],
    [NOW.isoformat(), 7, 8],
    [NOW.isoformat(), "7"],
    [NOW.isoformat(), True],
    ["2026-11-25T09:30:00", 7],  # no offset: cannot be compared with stored times
    ["yesterday", 7],
    [7, 7],
    7,
])
def test_anything_else_is_refused_on_the_cursor_field(key):
    with pytest.raises(AppError) as refused:
        time_id_cursor(encode_cursor(key))
    assert refused.value.details == {"fields": {"cursor": "is not a cursor this server gave out"}}
