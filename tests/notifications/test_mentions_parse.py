"""Mention parsing: logins, quoted names, Chinese names and their boundaries."""

from __future__ import annotations

import pytest

from server.mentions import find_mentions

HANDLES = ["zhang.wei", "bob", "bob.li", "Ada Admin", "王小明", "王小", "李娜"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi @zhang.wei", ["zhang.wei"]),
        ("hi @ZHANG.WEI!", ["zhang.wei"]),
        ("@bob.", ["bob"]),
        ("@bob.li please", ["bob.li"]),
        ('thanks @"Ada Admin" and @"ada admin"', ["Ada Admin"]),
        ("@王小明 明天见", ["王小明"]),
        ("@王小明，明天见", ["王小明"]),
        ("@王小 你好", ["王小"]),
        ("结尾@李娜", ["李娜"]),
        ("@王小明天见", []),
        ("@李娜和@王小明", ["王小明"]),
        ("write to ops@bob.li", []),
        ('@"Nobody Here" @', []),
        ("@李娜 @王小明 @李娜", ["李娜", "王小明"]),
        ("no mentions", []),
    ],
)
def test_find_mentions(text: str, expected: list[str]) -> None:
    assert find_mentions(text, HANDLES) == expected


def test_longest_handle_wins_whatever_the_order_given() -> None:
    assert find_mentions("@王小明 ok", ["王小", "王小明"]) == ["王小明"]
    assert find_mentions("@王小明 ok", ["王小明", "王小"]) == ["王小明"]
