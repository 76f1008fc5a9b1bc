"""An import racing creates of the same companies makes each company once: a
create that comes second gets 409 `duplicate`, an import row that comes second
is reported as an `existing` duplicate (docs/customers.md, Import)."""

from __future__ import annotations

import asyncio
import csv
import io

import orjson

from server.actions import customer_import

ROUNDS = 3
COMPANIES = 30


def _csv(names: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["公司名称"])
    writer.writerows([name] for name in names)
    return buffer.getvalue().encode()


async def _import(org, content: bytes):
    return await org.post("rep_sh", "/api/v1/customers/import",
                          files={"file": ("customers.csv", content, "text/csv")},
                          data={"mapping": orjson.dumps({"公司名称": "name"}).decode()})


async def test_an_import_racing_creates_makes_each_company_once(org, monkeypatch) -> None:
    monkeypatch.setattr(customer_import, "CHUNK_ROWS", 7)  # several chunks, each its own transaction
    reps = ("rep_east1", "rep_east2", "rep_west")
    for number in range(ROUNDS):
        # The import writes the company one way, the creates another: one name key each.
        in_file = [f"上海竞速{number}号{n}服装有限公司" for n in range(COMPANIES)]
        by_hand = [f"竞速{number}号{n}服装厂" for n in range(COMPANIES)]
        imported, *created = await asyncio.gather(
            _import(org, _csv(in_file)),
            *(org.post(reps[n % len(reps)], "/api/v1/customers", {"name": name}) for n, name in enumerate(by_hand)),
        )
        assert imported.status_code == 200, imported.text
        report = imported.json()
        assert report["errors"] == []
        assert all(c.status_code in (201, 409) for c in created), [c.text[:200] for c in created]
        made_by_hand = sum(c.status_code == 201 for c in created)
        # Every company exactly once: made by the import or by hand, never both.
        assert report["created"] + made_by_hand == COMPANIES, (report["created"], made_by_hand)
        assert len(report["duplicates"]) == COMPANIES - report["created"]
        assert all(d["matched"] == "existing" for d in report["duplicates"])
        for name in in_file:
            found = (await org.get("admin", "/api/v1/customers/duplicates", params={"name": name})).json()
            assert len(found["duplicates"]) == 1, (name, found)
