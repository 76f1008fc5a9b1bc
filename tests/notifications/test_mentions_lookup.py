"""Resolving mentions looks up only the colleagues a text may name, not everyone,
with the same matching: longest handle at a boundary, quoted and Chinese names,
logins in any case."""

from __future__ import annotations

from typing import Any

from server.mentions import mention_candidates, mentionable, resolve_mentions


def test_candidates_end_at_each_boundary_after_an_at() -> None:
    assert mention_candidates("hi @bob.li please") == {"bob", "bob.li", "bob.li please"}
    assert mention_candidates("@王小明，明天见") == {"王小明", "王小明，明天见"}
    assert mention_candidates("@王小明天见") == {"王小明天见"}
    assert "Ada Admin" in mention_candidates('thanks @"Ada Admin" ok')
    assert mention_candidates("write to ops@bob.li") == set()
    assert mention_candidates("no mentions at all") == set()


async def _colleagues(org: Any) -> None:
    from server.actions.users import create_user
    from tests.conftest import password_hash

    for n in range(40):
        await create_user(None, {"login": f"crowd{n}", "name": f"同事{n}号", "role": "rep",
                                 "department_id": org.departments["east"].id}, password_hash=password_hash())
    for login, name in (("wang.x", "王小"), ("wang.xm", "王小明"), ("bob", "Bob"), ("bob.li", "Bob Li"),
                        ("ada2", "Ada Admin")):
        await create_user(None, {"login": login, "name": name, "role": "rep",
                                 "department_id": org.departments["west"].id}, password_hash=password_hash())


async def test_only_the_people_named_are_looked_up(org) -> None:
    await _colleagues(org)
    text = '@王小明 明天见, @REP_WEST 和 @"ada admin" 也来; mail ops@bob.li'
    people = await mentionable(text)
    assert sorted(p.login for p in people) == ["ada2", "admin", "rep_west", "wang.xm"]


async def test_a_text_full_of_ats_still_resolves(org) -> None:
    from server.mentions import MAX_LOOKUPS

    text = " ".join(f"@x{n}" for n in range(MAX_LOOKUPS)) + " @李娜"
    assert mention_candidates(text, MAX_LOOKUPS) is None
    assert await resolve_mentions(text) == [org.rep_east2.id]


async def test_resolving_keeps_the_longest_match_and_chinese_names(org) -> None:
    await _colleagues(org)
    from server.models.identity import User

    ids = {u.login: u.id for u in await User.all()}
    assert await resolve_mentions("@王小明 明天见") == [ids["wang.xm"]]
    assert await resolve_mentions("@王小 你好") == [ids["wang.x"]]
    assert await resolve_mentions("@王小明天见") == []
    assert await resolve_mentions("@李娜，@BOB.LI please and @bob.") == [ids["rep_east2"], ids["bob.li"], ids["bob"]]
    # A name two people share mentions neither; a login still names one of them.
    assert await resolve_mentions('@"Ada Admin" look') == []
    assert await resolve_mentions('@"Ada Admin" and @ada2') == [ids["ada2"]]
    assert await resolve_mentions("@同事7号 @crowd12") == [ids["crowd7"], ids["crowd12"]]
    assert await resolve_mentions("nobody@example.com") == []
