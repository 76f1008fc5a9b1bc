"""Importing customers from CSV, with 撞单 checks inside the file and against
every customer in the system.

Rows with an error, and rows that duplicate an earlier row of the file or an
existing customer, are skipped and reported; the other rows are created in
transactions of `CHUNK_ROWS`. Each chunk takes the 撞单 locks of its rows
(`lock_many_duplicate_keys`, one statement, ascending ids — the order every
create takes its own) and checks its rows against every customer again before
inserting them, so an import racing a create of the same company makes it
once: whichever comes second finds the other's row (the import reports that
row as an `existing` duplicate). Chunks keep the locks held at once to a few
thousand slots of PostgreSQL's shared lock table, which a 50,000-row import
(up to 150,000 keys) taken whole would overflow. A dry run reports the same
without creating anything (and without locking).
"""

from __future__ import annotations

from typing import Any

from tortoise import connections

from server import customer_csv
from server.access import Viewer
from server.actions.customer_cap import limit_for, lock_owner, room_left
from server.actions.customers import lock_many_duplicate_keys, store_keys
from server.db import dialect
from server.models.customers import Customer
from server.models.identity import Role, User
from server.queries.customers import duplicate_keys, matched_on
from server.queries.orm import column, lookup
from server.render.customers import render_duplicate
from server.transaction import atomic

LOOKUP_CHUNK = 500
INSERT_BATCH = 500
# Rows per transaction: at most three lock keys each (name, phone, fax).
CHUNK_ROWS = 500


async def _existing(name_keys: set[str], numbers: set[str]) -> list[Customer]:
    """Customers (not deleted) sharing any of the keys; a few IN queries, not one per row."""
    found: dict[int, Customer] = {}
    for column, keys in (("name_key", name_keys), ("phone_key", numbers), ("fax_key", numbers)):
        ordered = sorted(keys)
        for start in range(0, len(ordered), LOOKUP_CHUNK):
            condition = lookup({f"{column}__in": ordered[start : start + LOOKUP_CHUNK]})
            for customer in await Customer.filter(condition, deleted_at=None):
                found[customer.id] = customer
    return list(found.values())


class _FileIndex:
    """The keys of the rows accepted so far, to find duplicates inside the file."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    def first_match(self, name_key: str, numbers: set[str]) -> int | None:
        keys = ([f"n:{name_key}"] if name_key else []) + [f"p:{n}" for n in sorted(numbers)]
        return next((self.rows[k] for k in keys if k in self.rows), None)

    def add(self, row: int, name_key: str, numbers: set[str]) -> None:
        keys = ([f"n:{name_key}"] if name_key else []) + [f"p:{n}" for n in numbers]
        for key in keys:
            self.rows.setdefault(key, row)


def _index_existing(customers: list[Customer]) -> dict[str, list[Customer]]:
    index: dict[str, list[Customer]] = {}
    for customer in customers:
        for key in (f"n:{customer.name_key}" if customer.name_key else None,
                    f"p:{customer.phone_key}" if customer.phone_key else None,
                    f"p:{customer.fax_key}" if customer.fax_key else None):
            if key:
                index.setdefault(key, []).append(customer)
    return index


def _existing_matches(index: dict[str, list[Customer]], name_key: str, numbers: set[str]) -> list[dict[str, Any]]:
    keys = ([f"n:{name_key}"] if name_key else []) + [f"p:{n}" for n in sorted(numbers)]
    seen: dict[int, Customer] = {}
    for key in keys:
        for customer in index.get(key, ()):
            seen[customer.id] = customer
    return [render_duplicate(c, matched_on(c, name_key, numbers)) for c in sorted(seen.values(), key=lambda c: c.id)]


Keyed = tuple[customer_csv.Row, str, set[str]]


def _keyed(rows: list[customer_csv.Row]) -> list[Keyed]:
    return [(row, *duplicate_keys(row.values.get("name"), row.values.get("phone"), row.values.get("fax")))
            for row in rows if row.error is None]


async def _index_of(keyed: list[Keyed]) -> dict[str, list[Customer]]:
    return _index_existing(await _existing({k for _, k, _ in keyed if k}, {n for *_, ns in keyed for n in ns}))


def _existing_duplicate(row: customer_csv.Row, matches: list[dict[str, Any]]) -> dict[str, Any]:
    return {"row": row.number, "name": row.values["name"], "matched": "existing", "duplicates": matches}


async def _classify(rows: list[customer_csv.Row]) -> tuple[list[Keyed], list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows to create, duplicates, errors) in file order."""
    keyed = _keyed(rows)
    existing = await _index_of(keyed)
    in_file = _FileIndex()
    accepted, duplicates = [], []
    for row, name_key, numbers in keyed:
        earlier = in_file.first_match(name_key, numbers)
        matches = _existing_matches(existing, name_key, numbers)
        if earlier is not None:
            duplicates.append({"row": row.number, "name": row.values["name"], "matched": "file", "matched_row": earlier})
        elif matches:
            duplicates.append(_existing_duplicate(row, matches))
        else:
            accepted.append((row, name_key, numbers))
        in_file.add(row.number, name_key, numbers)
    errors = [{"row": row.number, "field": row.field, "message": row.error} for row in rows if row.error is not None]
    return accepted, duplicates, errors


async def import_customers(viewer: Viewer, raw: bytes, mapping_text: str | None, dry_run: bool) -> dict[str, Any]:
    """Create the caller's customers from a CSV file (owner: the caller, source `import`
    unless a column gives it). 413 past 5 MB or 50,000 rows. Rows that would take
    the caller past their cap are refused one by one in `errors`."""
    text = customer_csv.decode(raw)
    mapping = customer_csv.parse_mapping(mapping_text)
    rows = customer_csv.read_rows(text, mapping)
    accepted, duplicates, errors = await _classify(rows)
    if dry_run:
        owner = await User.get(id=viewer.id)
        accepted, refused = _within_cap(owner, accepted, await room_left(owner))
        created, errors = len(accepted), errors + refused
    elif accepted:
        created, late, refused = await _create(viewer, accepted)
        duplicates = sorted(duplicates + late, key=lambda d: d["row"])
        errors = errors + refused
    else:
        created = 0
    errors = sorted(errors, key=lambda e: e["row"])
    return {"created": created, "dry_run": dry_run, "duplicates": duplicates, "errors": errors}


def _within_cap(owner: User, rows: list[Keyed], room: int | None) -> tuple[list[Keyed], list[dict[str, Any]]]:
    """(the rows that fit under the owner's cap, an error for each one past it)."""
    if room is None or len(rows) <= room:
        return rows, []
    limit = limit_for(owner.role)
    message = f"past the cap: {owner.name} may own at most {limit} customers as a {Role(owner.role).value}"
    return rows[:room], [{"row": row.number, "field": None, "message": message} for row, _, _ in rows[room:]]


async def _create(viewer: Viewer, accepted: list[Keyed]) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    """Create the rows chunk by chunk; (how many were created, rows that a customer
    made meanwhile turned into duplicates, rows refused for the cap)."""
    created, late, refused = 0, [], []
    for start in range(0, len(accepted), CHUNK_ROWS):
        chunk = accepted[start : start + CHUNK_ROWS]
        async with atomic():
            await lock_many_duplicate_keys((name_key, numbers) for _, name_key, numbers in chunk)
            owner = await lock_owner(viewer.id)
            existing = await _index_of(chunk)
            fresh = []
            for keyed in chunk:
                if matches := _existing_matches(existing, keyed[1], keyed[2]):
                    late.append(_existing_duplicate(keyed[0], matches))
                else:
                    fresh.append(keyed)
            fresh, past_cap = _within_cap(owner, fresh, await room_left(owner))
            refused += past_cap
            records, tagged = [], False
            for row, _, _ in fresh:
                customer = Customer(**{"source": "import", **row.values}, owner_id=viewer.id, created_by_id=viewer.id,
                                    imported=True)
                store_keys(customer)
                records.append(customer)
                tagged = tagged or bool(row.values["tags"])
            if not records:
                continue
            first_id = (await column(Customer.all().order_by("-id").limit(1), "id")) or [0]
            await Customer.bulk_create(records, batch_size=INSERT_BATCH)
            if tagged:
                await _index_tags(first_id[0], viewer.id)
        created += len(records)
    return created, late, refused


async def _index_tags(after_id: int, user_id: int) -> None:
    """Fill `customer_tags` from the tags of the customers just inserted (bulk inserts
    do not hand back ids). Idempotent, so a concurrent create by the same user is harmless."""
    connection = connections.get("default")
    if dialect() == "postgres":
        await connection.execute_query(
            "INSERT INTO customer_tags (customer_id, tag) SELECT c.id, t.tag FROM customers c "
            "CROSS JOIN LATERAL jsonb_array_elements_text(c.tags::jsonb) AS t(tag) "
            "WHERE c.id > $1 AND c.created_by_id = $2 ON CONFLICT DO NOTHING",
            [after_id, user_id],
        )
        return
    await connection.execute_query(
        "INSERT INTO customer_tags (customer_id, tag) SELECT c.id, j.value FROM customers c, json_each(c.tags) j "
        "WHERE c.id > ? AND c.created_by_id = ? ON CONFLICT DO NOTHING",
        [after_id, user_id],
    )
