"""Ordinary files: documents and audio notes are accepted by their content (not
their name or declared type), kept as sent, served as downloads under a safe
name with `nosniff`; executables and unknown kinds are refused; whoever may
see the post or message may fetch them."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any
from urllib.parse import quote

import pytest

from tests.mobile_api.card_helpers import png_bytes
from tests.visits.conftest import checkin_body, make_customer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _ooxml(main_part: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", main_part: b"<x/>"})


def _ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


def _mp4(handler: bytes, brand: bytes = b"M4A ") -> bytes:
    ftyp = struct.pack(">I", 20) + b"ftyp" + brand + b"\x00\x00\x00\x00" + b"isom"
    hdlr = struct.pack(">I", 33) + b"hdlr" + b"\x00" * 8 + handler + b"\x00" * 13
    return ftyp + struct.pack(">I", 8 + len(hdlr)) + b"moov" + hdlr


ACCEPTED = [
    ("pdf", PDF, "application/pdf"),
    ("docx", _ooxml("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", _ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pptx", _ooxml("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("doc", _ole2("WordDocument"), "application/msword"),
    ("xls", _ole2("Workbook"), "application/vnd.ms-excel"),
    ("m4a", _mp4(b"soun"), "audio/mp4"),
    ("aac", b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64, "audio/aac"),
    ("mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 32, "audio/mpeg"),
    ("opus", b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x13OpusHead\x01\x01" + b"\x00" * 32, "audio/ogg"),
    ("ogg", b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x1e\x01vorbis" + b"\x00" * 32, "audio/ogg"),
    ("wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, "audio/wav"),
    ("amr", b"#!AMR\n" + b"\x3c" * 64, "audio/amr"),
    ("webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 16 + b"\x86\x86A_OPUS" + b"\x00" * 16,
     "audio/webm"),
]

REFUSED = [
    ("elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ("windows exe", b"MZ\x90\x00\x03" + b"\x00" * 64 + b"This program cannot be run in DOS mode"),
    ("html", b"<!doctype html><html><script>alert(document.cookie)</script></html>"),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("shell script", b"#!/bin/sh\nrm -rf ~\n"),
    ("plain zip", _zip({"setup.exe": b"MZ"})),
    ("docx carrying a program", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>", "run.exe": b"MZ"})),
    ("mp4 video", _mp4(b"vide", brand=b"isom")),
    ("webm video", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 16 + b"\x86\x85V_VP9"),
    ("other OLE2 (an installer)", _ole2("SummaryInformation")),
    ("empty", b""),
]


async def _upload(org: Any, who: str, data: bytes, name: str = "note.bin", declared: str = "application/octet-stream") -> Any:
    return await org.post(who, "/api/v1/files", files={"file": (name, data, declared)})


@pytest.mark.parametrize(("extension", "data", "mime"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
async def test_documents_and_audio_notes_are_taken_by_content_and_served_as_downloads(
    org: Any, extension: str, data: bytes, mime: str
) -> None:
    made = await _upload(org, "rep_east1", data, name="客户资料", declared="text/html")
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["content_type"], body["size_bytes"], body["filename"]) == (mime, len(data), f"客户资料.{extension}")
    fetched = await org.get("rep_east1", f"/api/v1/files/{body['id']}")
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["content-type"].split(";")[0] == mime
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert fetched.headers["content-disposition"] == (
        f"attachment; filename=\"____.{extension}\"; filename*=UTF-8''{quote(f'客户资料.{extension}')}"
    )


@pytest.mark.parametrize(("what", "data"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_executables_and_unknown_kinds_are_refused_whatever_they_claim_to_be(org: Any, what: str, data: bytes) -> None:
    answer = await _upload(org, "rep_east1", data, name="报价.pdf", declared="application/pdf")
    assert answer.status_code == 415, (what, answer.text)
    assert answer.json()["error"]["code"] == "unsupported_media"
    assert "not accepted" in answer.json()["error"]["message"]


async def test_an_audio_note_over_5_mb_is_413_with_the_limit(org: Any) -> None:
    answer = await _upload(org, "rep_east1", b"#!AMR\n" + b"\x3c" * 5_000_001)
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["details"]["max_bytes"] == 5_000_000
    assert answer.json()["error"]["details"]["kind"] == "audio"


async def test_the_offered_name_has_no_path_quotes_or_line_breaks_and_the_real_extension(org: Any) -> None:
    made = await _upload(org, "rep_east1", PDF, name='..\\..\\x/"报价"\r\nSet-Cookie: a=b.exe')
    assert made.status_code == 201, made.text
    offered = made.json()["filename"]
    assert offered.endswith("报价%22%0D%0ASet-Cookie_ a=b.pdf"), offered  # as the client encoded it
    assert not set(offered) & set('/\\"\r\n:')
    fetched = await org.get("rep_east1", f"/api/v1/files/{made.json()['id']}")
    disposition = fetched.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and "\r" not in disposition and "\n" not in disposition
    assert "set-cookie" not in {k.lower() for k in fetched.headers}


async def test_an_image_sent_as_a_file_is_kept_as_a_photo_shown_inline(org: Any) -> None:
    made = await _upload(org, "rep_east1", png_bytes(), name="x.pdf", declared="application/pdf")
    assert made.status_code == 201, made.text
    assert made.json()["content_type"] == "image/jpeg" and made.json()["filename"] is None
    fetched = await org.get("rep_east1", f"/api/v1/files/{made.json()['id']}")
    assert fetched.headers["content-type"] == "image/jpeg" and "content-disposition" not in fetched.headers


async def test_the_photo_route_serves_images_only_and_a_document_there_is_the_same_404_as_nothing(org: Any) -> None:
    document = (await _upload(org, "rep_east1", PDF, name="a.pdf")).json()["id"]
    image = (await _upload(org, "rep_east1", png_bytes(), name="x.png")).json()["id"]
    as_photo = await org.get("rep_east1", f"/api/v1/photos/{document}")
    missing = await org.get("rep_east1", "/api/v1/photos/99999999")
    assert as_photo.status_code == missing.status_code == 404
    assert as_photo.json()["error"]["code"] == missing.json()["error"]["code"]
    assert as_photo.json()["error"]["message"] == missing.json()["error"]["message"]
    shown = await org.get("rep_east1", f"/api/v1/photos/{image}")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"


async def test_whoever_may_see_the_post_or_message_may_fetch_its_file_and_nobody_else(org: Any) -> None:
    public = (await _upload(org, "rep_east1", PDF, name="a.pdf")).json()["id"]
    private = (await _upload(org, "rep_east1", PDF, name="b.pdf")).json()["id"]
    in_chat = (await _upload(org, "rep_east1", _ooxml("word/document.xml"), name="c.docx")).json()["id"]
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": "资料", "attachments": [{"type": "file", "id": public}]})).status_code == 201
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": "私密", "visibility": "private",
                                                          "attachments": [{"type": "file", "id": private}]})).status_code == 201
    made = await org.post("rep_east1", "/api/v1/conversations", {"kind": "group", "title": "报价", "member_ids": [org.rep_east2.id]})
    sent = await org.post("rep_east1", f"/api/v1/conversations/{made.json()['id']}/messages",
                          {"client_id": "f-1", "body": "合同", "attachments": [in_chat]})
    assert sent.status_code == 201, sent.text
    missing = (await org.get("rep_west", "/api/v1/files/2147483647")).json()
    for who in ("rep_west", "manager_west", "rep_sh"):
        assert (await org.get(who, f"/api/v1/files/{public}")).status_code == 200, who
        hidden = await org.get(who, f"/api/v1/files/{private}")
        assert hidden.status_code == 404 and hidden.json() == missing
    assert (await org.get("rep_east2", f"/api/v1/files/{in_chat}")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/files/{in_chat}")).status_code == 404


async def test_a_check_in_takes_photos_only_not_files(org: Any) -> None:
    document = (await _upload(org, "rep_sh", PDF)).json()["id"]
    customer = await make_customer(org.rep_sh)
    answer = await org.post("rep_sh", "/api/v1/checkins", checkin_body(customer.id, photo_ids=[document]))
    assert answer.status_code == 422, answer.text
    assert "photo_ids" in answer.json()["error"]["details"]["fields"]


def test_the_offered_name_is_the_base_name_without_control_or_reserved_characters() -> None:
    from server.file_types import PDF as PDF_TYPE, display_name

    assert display_name('..\\..\\x/"报价"\r\nSet-Cookie: a=b.exe', PDF_TYPE) == "报价_Set-Cookie_ a=b.pdf"
    assert display_name(None, PDF_TYPE) == "file.pdf"
    assert display_name("....", PDF_TYPE) == "file.pdf"


async def test_the_served_openapi_document_states_the_kinds_and_their_sizes(org: Any) -> None:
    document = (await org.client.get("/api/v1/openapi.json")).json()
    upload = document["paths"]["/api/v1/files"]["post"]
    text = upload.get("description", "") + upload.get("summary", "")
    for stated in ("PDF", "docx", "xlsx", "pptx", "m4a", "amr", "10 MB", "5 MB", "415", "413"):
        assert stated in text, stated
    assert set(upload["responses"]) >= {"201", "413", "415"}
    assert "*/*" in document["paths"]["/api/v1/files/{id}"]["get"]["responses"]["200"]["content"]


async def test_a_file_attached_without_a_name_shows_its_uploads_name_and_a_given_name_is_kept(org: Any) -> None:
    upload = (await _upload(org, "rep_east1", PDF, name="报价单.pdf")).json()["id"]
    bare = await org.post("rep_east1", "/api/v1/posts", {"body": "报价", "attachments": [{"type": "file", "id": upload}]})
    named = await org.post("rep_east1", "/api/v1/posts",
                           {"body": "报价", "attachments": [{"type": "file", "id": upload, "name": "第二版.pdf"}]})
    assert bare.status_code == named.status_code == 201, (bare.text, named.text)
    assert bare.json()["attachments"][0]["name"] == "报价单.pdf"
    assert named.json()["attachments"][0]["name"] == "第二版.pdf"
