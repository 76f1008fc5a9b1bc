"""CSV import (encodings, mapping, errors, duplicates, dry run, limits) and export."""

from __future__ import annotations

import csv
import io

import orjson

from server.customer_csv import MAX_IMPORT_ROWS
from tests.support.customers import ids, make_customer

MAPPING = {"公司名称": "name", "电话": "phone", "地址": "address", "纬度": "lat", "经度": "lng", "标签": "tags"}


def _csv(rows: list[list[str]], header: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or list(MAPPING))
    writer.writerows(rows)
    return buffer.getvalue()


async def _import(org, content: bytes, mapping: dict | str | None = None, who: str = "rep_sh", **extra):
    data = {"mapping": mapping if isinstance(mapping, str) else orjson.dumps(mapping or MAPPING).decode(), **extra}
    return await org.post(who, "/api/v1/customers/import", files={"file": ("customers.csv", content, "text/csv")}, data=data)


ROWS = [
    ["申城建材有限公司", "021-6222 7788", "上海市闵行区", "31.11", "121.38", "重点;建材"],
    ["东海水产", "", "", "", "", ""],
]


async def test_utf8_with_bom_creates_customers_owned_by_the_caller(org) -> None:
    response = await _import(org, b"\xef\xbb\xbf" + _csv(ROWS).encode())
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 2, "dry_run": False, "duplicates": [], "errors": []}
    items = (await org.get("rep_sh", "/api/v1/customers")).json()["items"]
    by_name = {i["name"]: i for i in items}
    assert set(by_name) == {"申城建材有限公司", "东海水产"}
    first = by_name["申城建材有限公司"]
    assert (first["owner_id"], first["lat"], first["tags"], first["source"]) == (org.rep_sh.id, 31.11, ["建材", "重点"], "import")
    assert await ids(org, "rep_sh", "/api/v1/customers?tag=重点") == [first["id"]]
    dup = await org.get("rep_west", "/api/v1/customers/duplicates", params={"name": "上海申城建材"})
    assert [d["id"] for d in dup.json()["duplicates"]] == [first["id"]]


async def test_gbk_files_from_excel_are_read(org) -> None:
    response = await _import(org, _csv(ROWS).encode("gbk"))
    assert response.json()["created"] == 2
    names = {i["name"] for i in (await org.get("rep_sh", "/api/v1/customers")).json()["items"]}
    assert names == {"申城建材有限公司", "东海水产"}


async def test_utf8_without_bom_and_crlf(org) -> None:
    response = await _import(org, _csv(ROWS).replace("\n", "\r\n").encode())
    assert response.json()["created"] == 2


async def test_bad_rows_and_duplicates_are_skipped_and_the_rest_created(org) -> None:
    existing = await make_customer(org, "rep_west", "恒通物流有限公司")
    rows = [
        ["申城建材", "", "", "", "", ""],              # row 2: fine
        ["", "021 1111 2222", "", "", "", ""],        # row 3: no name
        ["上海申城建材有限公司", "", "", "", "", ""],    # row 4: same as row 2
        ["恒通物流", "", "", "", "", ""],              # row 5: exists already
        ["远洋渔业", "", "", "95", "121", ""],          # row 6: bad latitude
        ["金桥电子", "", "", "31.2", "", ""],          # row 7: lat without lng
        ["西湖茶业", "", "", "", "", ""],              # row 8: fine
    ]
    response = await _import(org, _csv(rows).encode())
    body = response.json()
    assert body["created"] == 2
    assert [(e["row"], e["message"]) for e in body["errors"]] == [
        (3, "name is empty"), (6, "lat must be between -90 and 90"), (7, "lat and lng go together"),
    ]
    assert body["duplicates"] == [
        {"row": 4, "name": "上海申城建材有限公司", "matched": "file", "matched_row": 2},
        {"row": 5, "name": "恒通物流", "matched": "existing", "duplicates": [
            {"id": existing["id"], "name": "恒通物流有限公司", "owner_id": org.rep_west.id, "in_pool": False,
             "matched_on": ["name"]}]},
    ]
    names = sorted(i["name"] for i in (await org.get("rep_sh", "/api/v1/customers")).json()["items"])
    assert names == ["申城建材", "西湖茶业"]


async def test_dry_run_reports_without_creating(org) -> None:
    response = await _import(org, _csv(ROWS).encode(), dry_run="true")
    assert response.json() == {"created": 2, "dry_run": True, "duplicates": [], "errors": []}
    assert await ids(org, "rep_sh", "/api/v1/customers") == []


async def test_mapping_problems_are_422(org) -> None:
    content = _csv(ROWS).encode()
    for mapping, expected in [
        ("not json", "mapping"), ({"公司名称": "company"}, "mapping"), ({"电话": "phone"}, "mapping"),
        ({"公司": "name"}, "mapping"), ({"公司名称": "name", "地址": "name"}, "mapping"),
    ]:
        response = await _import(org, content, mapping)
        assert response.status_code == 422, (mapping, response.text)
        assert expected in response.json()["error"]["details"]["fields"]


async def test_missing_file_bad_flag_and_wrong_media(org) -> None:
    no_file = await org.post("rep_sh", "/api/v1/customers/import", data={"mapping": orjson.dumps(MAPPING).decode()},
                             files={"other": ("x.txt", b"x")})
    assert no_file.status_code == 422 and "file" in no_file.json()["error"]["details"]["fields"]
    assert (await _import(org, _csv(ROWS).encode(), dry_run="maybe")).status_code == 422
    assert (await org.post("rep_sh", "/api/v1/customers/import", {"file": "x"})).status_code == 415
    binary = await _import(org, bytes(range(0x80, 0x100)) * 4)
    assert binary.status_code == 422 and "file" in binary.json()["error"]["details"]["fields"]


async def test_files_over_5_mb_are_413(org) -> None:
    content = _csv([]).encode() + b"x" * (5 * 1024 * 1024)
    response = await _import(org, content)
    assert response.status_code == 413
    assert "5 MB" in response.json()["error"]["message"]


async def test_files_over_50000_rows_are_413(org) -> None:
    content = ("公司名称\n" + "a\n" * (MAX_IMPORT_ROWS + 1)).encode()
    response = await _import(org, content, {"公司名称": "name"})
    assert response.status_code == 413
    assert "50000 rows" in response.json()["error"]["message"]
    assert await ids(org, "rep_sh", "/api/v1/customers") == []


async def test_export_is_utf8_with_bom_and_only_what_the_caller_sees(org) -> None:
    await make_customer(org, "rep_sh", "申城建材", phone="021 6222 7788", tags=["重点", "建材"])
    await make_customer(org, "rep_west", "西部矿业")
    response = await org.get("rep_sh", "/api/v1/customers/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["name"], r["phone"], r["tags"], r["in_pool"]) for r in rows] == [("申城建材", "021 6222 7788", "建材;重点", "false")]
    everything = await org.get("admin", "/api/v1/customers/export.csv")
    assert sorted(r["name"] for r in csv.DictReader(io.StringIO(everything.content.decode("utf-8-sig")))) == ["申城建材", "西部矿业"]


async def test_an_export_imports_back_as_duplicates(org) -> None:
    await make_customer(org, "rep_sh", "申城建材", phone="021 6222 7788")
    exported = (await org.get("rep_sh", "/api/v1/customers/export.csv")).content
    response = await _import(org, exported, {"name": "name", "phone": "phone", "tags": "tags"}, who="rep_west")
    assert response.json()["created"] == 0
    assert [d["matched"] for d in response.json()["duplicates"]] == ["existing"]


async def test_a_control_character_in_a_one_line_field_is_refused_naming_the_row_and_field(org) -> None:
    mapping = {**MAPPING, "行业": "industry", "备注": "description"}
    header = [*MAPPING, "行业", "备注"]
    rows = [
        ["申城建材\r\nBcc: all@example.com", "", "", "", "", "", "", ""],   # row 2: name
        ["东海水产", "021\n6222", "", "", "", "", "", ""],                   # row 3: phone
        ["远洋渔业", "", "", "", "", "重点;建\x07材", "", ""],                 # row 4: a tag
        ["金桥电子", "", "", "", "", "", "制造\t业", ""],                     # row 5: industry
        ["西湖茶业", "", "杭州市\n西湖区", "", "", "", "", "第一行\n第二行"],   # row 6: fine, multi-line fields
    ]
    response = await _import(org, _csv(rows, header).encode(), mapping)
    body = response.json()
    assert response.status_code == 200 and body["created"] == 1, response.text
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "name"), (3, "phone"), (4, "tags"), (5, "industry")]
    assert body["errors"][0]["message"] == "name must be one line without control characters"
    [kept] = (await org.get("rep_sh", "/api/v1/customers")).json()["items"]
    assert (kept["name"], kept["address"], kept["description"]) == ("西湖茶业", "杭州市\n西湖区", "第一行\n第二行")
