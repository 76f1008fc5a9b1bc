"""The CSV export never hands Excel a formula."""

from __future__ import annotations

import csv
import io

import pytest

from server.customer_csv import EXPORT_COLUMNS, format_batch


def _row(**values):
    item = dict.fromkeys(EXPORT_COLUMNS)
    item.update(values)
    return next(csv.reader(io.StringIO(format_batch([item]))))


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_like_text_is_quoted(name):
    assert _row(name=name)[EXPORT_COLUMNS.index("name")] == "'" + name


@pytest.mark.parametrize("phone", ["+86 21 5888 1234", "-", "+86-138-0013-8000"])
def test_phone_numbers_are_left_alone(phone):
    assert _row(phone=phone)[EXPORT_COLUMNS.index("phone")] == phone


def test_plain_text_and_numbers_are_unchanged():
    row = _row(name="上海瑞丽服装厂", lat=-33.5, tags=["VIP", "华东"])
    assert row[EXPORT_COLUMNS.index("name")] == "上海瑞丽服装厂"
    assert row[EXPORT_COLUMNS.index("lat")] == "-33.5"
    assert row[EXPORT_COLUMNS.index("tags")] == "VIP;华东"
