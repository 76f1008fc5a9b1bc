"""The message catalogue (server.i18n): every text in every language, and how
parameters are shown to a reader."""

from __future__ import annotations

import ast
import datetime as dt
import string
from pathlib import Path

import pytest

from server.i18n import LANGUAGES, MESSAGES, Text, day, moment, render

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("server", "notifications", "schedulers", "realtime", "mobile_api")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_every_language_with_the_same_placeholders(key):
    wording = MESSAGES[key]
    assert set(wording) == set(LANGUAGES), key
    assert all(wording[language].strip() for language in LANGUAGES), key
    assert len({frozenset(placeholders(wording[language])) for language in LANGUAGES}) == 1, key


def test_chinese_wording_is_chinese_and_english_is_not():
    for key, wording in MESSAGES.items():
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in wording["en"]), key
    labels = [key for key in MESSAGES if not placeholders(MESSAGES[key]["zh-CN"])]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in MESSAGES[key]["zh-CN"]) for key in labels)


def _literal_keys() -> set[str]:
    """Keys named as `Text("...")` literals anywhere in the server's code."""
    keys = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Text", "_say")
                        and node.args and isinstance(node.args[-1 if node.func.id == "_say" else 0], ast.Constant)):
                    keys.add(node.args[-1 if node.func.id == "_say" else 0].value)
    return keys


def test_every_key_the_code_names_is_in_the_catalogue():
    named = _literal_keys()
    assert len(named) > 20
    assert named - set(MESSAGES) == set()


def test_keys_made_from_codes_exist_for_every_code():
    from server.actions.activities import KINDS as ACTIVITY_KINDS
    from server.actions.opportunities import STAGES
    from notifications.digest import EMAIL_KINDS

    for kind in ACTIVITY_KINDS:
        assert f"activity.{kind}" in MESSAGES
    for stage in STAGES:
        assert f"stage.{stage}" in MESSAGES
    for status in ("open", "won", "lost"):
        assert f"status.{status}" in MESSAGES
    for kind in EMAIL_KINDS:
        assert f"kind.{kind}" in MESSAGES
    from typing import get_args

    from mobile_api.schemas.approvals import Kind as ApprovalKind

    for kind in get_args(ApprovalKind):
        assert f"approval_kind.{kind}" in MESSAGES
    for outcome in ("approved", "rejected", "returned", "withdrawn"):
        assert f"approval.{outcome}" in MESSAGES


def test_an_unknown_key_is_refused_when_named():
    with pytest.raises(KeyError):
        Text("no.such.message")


def test_times_are_on_the_readers_clock_in_their_language():
    at = dt.datetime(2026, 12, 4, 10, 5, tzinfo=dt.timezone.utc)
    assert moment(at, "zh-CN", "Asia/Shanghai") == "2026年12月4日 18:05"
    assert moment(at, "en", "America/Los_Angeles") == "Dec 4, 2026 02:05"
    assert moment(at, "en", "Not/AZone") == "Dec 4, 2026 18:05"  # a broken zone falls back, never fails
    assert day(dt.date(2026, 1, 9), "zh-CN") == "2026年1月9日" and day(dt.date(2026, 1, 9), "en") == "Jan 9, 2026"
    text = Text("task.overdue.body", due=at)
    assert render(text, "zh-CN", "Asia/Shanghai") == "你团队的一项任务已逾期（截止于 2026年12月4日 18:05）。"
    assert render(text, "en", "Europe/Berlin") == "A task in your team is overdue (it was due Dec 4, 2026 11:05)."


def test_labels_and_lists_follow_the_language_and_survive_json():
    text = Text("feed.opportunity", name="华南物流 {x}", changes=[
        Text("opportunity.stage", old=Text("stage.lead"), new=Text("stage.proposal")), Text("status.won")])
    again = Text.from_json(text.to_json())
    assert again == text
    assert render(again, "zh-CN") == "商机「华南物流 {x}」阶段 线索 → 方案报价，赢单"
    assert render(again, "en") == "Opportunity “华南物流 {x}”: stage lead → proposal; won"
    with_day = Text("feed.daily_report", day=dt.date(2026, 11, 25), summary="拜访 3 家")
    assert render(Text.from_json(with_day.to_json()), "en") == "Daily report Nov 25, 2026: 拜访 3 家"


def test_unknown_language_reads_the_default_and_plain_text_stays():
    assert render(Text("comment.new", author="王芳"), "fr") == "王芳 发表了评论"
    assert render("written by a person", "en") == "written by a person"
