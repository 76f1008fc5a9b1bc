"""Customer CSV files: reading an import (encoding, mapping, rows) and writing an export.

Pure text handling, no database: `server.actions.customer_import` decides
what is created.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from server.errors import AppError, ErrorCode, invalid_field
from server.validation import one_line

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000
UTF8_BOM = b"\xef\xbb\xbf"
TAG_SEPARATORS = re.compile(r"[,;，；、|]")
LIMITS = {"name": 200, "phone": 64, "fax": 64, "address": 500, "industry": 100, "source": 100, "level": 20,
          "province": 50, "city": 50, "email": 200, "website": 300, "description": 10_000}
FIELDS = (*LIMITS, "lat", "lng", "tags")
MULTI_LINE = frozenset({"address", "description"})  # every other text field is one line, as in the API
# New columns go at the end, so that a file exported before still lines up.
EXPORT_COLUMNS = ("id", "name", "phone", "fax", "address", "lat", "lng", "industry", "source", "level",
                  "tags", "owner_id", "in_pool", "created_at", "updated_at",
                  "province", "city", "email", "website", "description", "last_contact_at")


def too_large(message: str, **details: Any) -> AppError:
    return AppError(ErrorCode.TOO_LARGE, message, details)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a BOM), else GB18030, the superset of GBK that Excel writes in China."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise too_large(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it into smaller files.",
                        limit_bytes=MAX_IMPORT_BYTES)
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise invalid_field("file", "is not text in UTF-8 or GBK/GB18030") from None


def parse_mapping(text: str | None) -> dict[str, str]:
    """`{"CSV column": "customer field"}`; `name` must be mapped, each field at most once."""
    try:
        mapping = orjson.loads(text or "")
    except orjson.JSONDecodeError:
        raise invalid_field("mapping", 'must be JSON such as {"公司名称": "name", "电话": "phone"}') from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise invalid_field("mapping", "must be a JSON object from CSV column to customer field")
    unknown = sorted({v for v in mapping.values() if v not in FIELDS})
    if unknown:
        raise invalid_field("mapping", f"names unknown fields {unknown}; use {', '.join(FIELDS)}")
    if len(set(mapping.values())) != len(mapping):
        raise invalid_field("mapping", "maps two columns to the same field")
    if "name" not in mapping.values():
        raise invalid_field("mapping", "must map a column to name")
    return mapping


@dataclass
class Row:
    number: int  # the spreadsheet row: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    field: str | None = None  # the customer field the error is about, if one


class RowProblem(ValueError):
    """What stops one row, and the field it is about."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def _coordinate(text: str, name: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RowProblem(name, f"{name} {text!r} is not a number") from None
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise RowProblem(name, f"{name} must be between -{bound:g} and {bound:g}")
    return value


def _one_line(name: str, text: str) -> str:
    try:
        return one_line(text)
    except ValueError:
        raise RowProblem(name, f"{name} must be one line without control characters") from None


def convert(raw: dict[str, str]) -> dict[str, Any]:
    """One row's text as customer fields; RowProblem names the first problem and its field."""
    values: dict[str, Any] = {}
    for name, limit in LIMITS.items():
        text = (raw.get(name) or "").strip()
        if len(text) > limit:
            raise RowProblem(name, f"{name} is longer than {limit} characters")
        if "\x00" in text:
            raise RowProblem(name, f"{name} must not contain NUL characters")
        if text:
            values[name] = text if name in MULTI_LINE else _one_line(name, text)
    if "name" not in values:
        raise RowProblem("name", "name is empty")
    lat, lng = (raw.get("lat") or "").strip(), (raw.get("lng") or "").strip()
    if bool(lat) != bool(lng):
        raise RowProblem("lng" if lat else "lat", "lat and lng go together")
    if lat:
        values["lat"], values["lng"] = _coordinate(lat, "lat", 90), _coordinate(lng, "lng", 180)
    tags = {_one_line("tags", t.strip()[:50]) for t in TAG_SEPARATORS.split(raw.get("tags") or "") if t.strip()}
    values["tags"] = sorted(tags)[:50]
    return values


def read_rows(text: str, mapping: dict[str, str]) -> list[Row]:
    """Every data row converted, or with the error that stops it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = sorted(set(mapping) - set(header))
    if missing:
        raise invalid_field("mapping", f"names columns the file does not have: {missing}")
    index = {field: header.index(column) for column, field in mapping.items()}
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise too_large(f"The file has more than {MAX_IMPORT_ROWS} rows; split it into smaller files.",
                                limit_rows=MAX_IMPORT_ROWS)
            raw = {f: cells[i] if i < len(cells) else "" for f, i in index.items()}
            try:
                rows.append(Row(number, convert(raw)))
            except RowProblem as error:
                rows.append(Row(number, error=str(error), field=error.field))
    except csv.Error as error:
        raise invalid_field("file", f"is not a readable CSV file ({error})") from None
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"\+?[\d\s()\-]*\d[\d\s()\-]*")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    if isinstance(value, str):
        return _defuse(value)
    return str(value)


def _defuse(text: str) -> str:
    """Keep Excel from running a cell as a formula (=HYPERLINK(…) in a customer name).

    A leading quote makes Excel show the text as it is; phone numbers such as
    "+86 21 5888 1234" are left alone.
    """
    phone = PHONE_LIKE.fullmatch(text) and sum(c.isdigit() for c in text) >= 5
    if len(text) > 1 and text.startswith(FORMULA_STARTS) and not phone:
        return "'" + text
    return text


def export_header() -> str:
    """The header line, after the BOM that makes Excel read the file as UTF-8."""
    return "\ufeff" + format_batch([dict(zip(EXPORT_COLUMNS, EXPORT_COLUMNS))])


def format_batch(batch: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for item in batch:
        writer.writerow([_cell(item[c]) for c in EXPORT_COLUMNS])
    return buffer.getvalue()
