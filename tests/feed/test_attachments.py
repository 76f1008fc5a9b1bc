"""Attachments are real and visible to those who may see them: ids name uploads
the author may see, links are http(s) only, and whoever may see the post or
message may fetch its photo."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mobile_api.card_helpers import png_bytes


async def _photo(org: Any, who: str) -> int:
    answer = await org.post(who, "/api/v1/photos", files={"file": ("p.png", png_bytes(), "image/png")})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _field(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    return answer.json()["error"]["details"]["fields"]


async def test_a_post_attaches_only_uploads_its_author_may_see(org: Any) -> None:
    theirs = await _photo(org, "rep_west")
    for bad in (theirs, 2**31 - 1):
        answer = await org.post("rep_east1", "/api/v1/posts", {"body": "看图", "attachments": [{"type": "photo", "id": bad}]})
        assert _field(answer) == {"attachments.0.id": "must name an upload you may see"}
    missing_id = await org.post("rep_east1", "/api/v1/posts", {"body": "看图", "attachments": [{"type": "file"}]})
    assert set(_field(missing_id)) == {"attachments.0.id"}
    mine = await _photo(org, "rep_east1")
    ok = await org.post("rep_east1", "/api/v1/posts", {"body": "看图", "attachments": [{"type": "photo", "id": mine}]})
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>",
                                 "JaVaScRiPt:alert(1)", "ftp://files.example.com/a", "//example.com/a", "http://"])
async def test_a_link_attachment_is_http_or_https_only(org: Any, url: str) -> None:
    answer = await org.post("rep_east1", "/api/v1/posts", {"body": "link", "attachments": [{"type": "link", "url": url}]})
    assert _field(answer) == {"attachments.0.url": "must be an http or https URL"}


async def test_an_https_link_is_taken(org: Any) -> None:
    answer = await org.post("rep_east1", "/api/v1/posts",
                            {"body": "link", "attachments": [{"type": "link", "url": "https://example.com/报价?id=1"}]})
    assert answer.status_code == 201, answer.text


async def test_whoever_may_see_a_post_may_fetch_its_photo_and_nobody_else(org: Any) -> None:
    public = await _photo(org, "rep_east1")
    private = await _photo(org, "rep_east1")
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": "公开", "attachments": [{"type": "photo", "id": public}]})).status_code == 201
    assert (await org.post("rep_east1", "/api/v1/posts", {"body": "私密", "visibility": "private",
                                                          "attachments": [{"type": "photo", "id": private}]})).status_code == 201
    for who in ("rep_west", "manager_west", "rep_sh"):
        assert (await org.get(who, f"/api/v1/photos/{public}")).status_code == 200, who
        hidden = await org.get(who, f"/api/v1/photos/{private}")
        assert hidden.status_code == 404 and hidden.json() == (await org.get(who, "/api/v1/photos/2147483647")).json()


async def test_a_chat_message_attaches_only_seen_uploads_and_members_fetch_them(org: Any) -> None:
    made = await org.post("rep_east1", "/api/v1/conversations",
                          {"kind": "group", "title": "报价", "member_ids": [org.rep_east2.id]})
    path = f"/api/v1/conversations/{made.json()['id']}/messages"
    theirs = await _photo(org, "rep_west")
    refused = await org.post("rep_east1", path, {"client_id": "m-1", "body": "图", "attachments": [theirs]})
    assert _field(refused) == {"attachments.0": "must name an upload you may see"}
    mine = await _photo(org, "rep_east1")
    sent = await org.post("rep_east1", path, {"client_id": "m-2", "body": "图", "attachments": [mine]})
    assert sent.status_code == 201, sent.text
    assert (await org.get("rep_east2", f"/api/v1/photos/{mine}")).status_code == 200
    assert (await org.get("rep_west", f"/api/v1/photos/{mine}")).status_code == 404
