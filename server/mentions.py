"""@-mentions in posts, comments and chat messages.

Three ways to name a colleague after `@`:

- a login: `@zhang.wei`
- a quoted full name: `@"Ada Admin"`
- an unquoted name, also Chinese: `@王小明`, which must be followed by a space,
  punctuation or the end of the text (`@王小明，明天见` mentions 王小明;
  `@王小明天见` mentions nobody).

When several colleagues' handles start at the same `@` (王小 and 王小明, or
the logins `bob` and `bob.li`), the longest one that ends at a boundary wins.
Logins and Latin names compare case-insensitively.

A name two active colleagues share (two 王芳) mentions neither: the writer
meant one of them, and telling the other about a message meant for someone
else is a leak. Where a person writes the text (posts, comments, chat
messages) the write is refused with 422 on `body`, `details.ambiguous`
listing the names, so the author can mention by login instead; where the
server writes it (a check-in note in the feed) the name mentions nobody.

`find_mentions` is pure (text and handles in, handles out); `resolve_mentions`
looks the people up, asking the database only for those whose login or name
could be one of the handles written (`mention_candidates`): the text after an
`@` up to each space or punctuation mark within 100 characters, and quoted names. Whether a mentioned person may see the item is for the
caller to decide: only people who can see it are mentioned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from tortoise.expressions import Q
from tortoise.functions import Lower

from server.errors import invalid
from server.models.identity import User

QUOTED = re.compile(r'"([^"\n]{1,100})"')
MAX_HANDLE_CHARS = 100
LOOKUP_BATCH = 200  # handles per query (each is several bound parameters)
# Past this many possible handles, reading every active colleague is cheaper.
MAX_LOOKUPS = 1000


def _is_boundary(text: str, index: int) -> bool:
    """True at the end of the text, or before a space, punctuation or symbol."""
    if index >= len(text):
        return True
    char = text[index]
    return char.isspace() or unicodedata.category(char)[0] in "PSZ"


def _starts_mention(text: str, index: int) -> bool:
    """An `@` that starts a mention, not one inside an email address."""
    before = text[index - 1] if index else " "
    return not (before.isascii() and (before.isalnum() or before in "._-+"))


def find_mentions(text: str, handles: Iterable[str]) -> list[str]:
    """The handles (logins or names) mentioned in `text`, in order of first mention.

    Matching is case-insensitive; each returned string is the handle as given.
    """
    by_key: dict[str, str] = {}
    for handle in handles:
        if handle and len(handle) <= MAX_HANDLE_CHARS:
            by_key.setdefault(handle.casefold(), handle)
    lengths = sorted({len(k) for k in by_key}, reverse=True)
    found: list[str] = []
    for match in re.finditer("@", text):
        start = match.end()
        if not _starts_mention(text, match.start()):
            continue
        mentioned = _quoted_at(text, start, by_key) or _longest_at(text, start, by_key, lengths)
        if mentioned is not None and mentioned not in found:
            found.append(mentioned)
    return found


def _candidates(text: str) -> Iterator[str]:
    for match in re.finditer("@", text):
        start = match.end()
        if not _starts_mention(text, match.start()):
            continue
        if (quoted := QUOTED.match(text, start)) is not None and quoted.group(1).strip():
            yield quoted.group(1).strip()
        for end in range(start + 1, min(len(text), start + MAX_HANDLE_CHARS) + 1):
            if _is_boundary(text, end):
                yield text[start:end]


def mention_candidates(text: str, limit: int | None = None) -> set[str] | None:
    """Every string that `find_mentions` could match in `text` as written: after
    each `@` that starts a mention, the quoted name, and the text up to each
    boundary within `MAX_HANDLE_CHARS`. A person is only worth looking up when
    their login or name, compared case-insensitively, is one of these.

    None when there are more than `limit` (a text full of `@`s).
    """
    found: set[str] = set()
    for candidate in _candidates(text):
        found.add(candidate)
        if limit is not None and len(found) > limit:
            return None
    return found


def _quoted_at(text: str, start: int, by_key: Mapping[str, str]) -> str | None:
    quoted = QUOTED.match(text, start)
    if quoted is None:
        return None
    return by_key.get(quoted.group(1).strip().casefold())


def _longest_at(text: str, start: int, by_key: Mapping[str, str], lengths: list[int]) -> str | None:
    for length in lengths:  # longest first, so 王小明 beats 王小
        end = start + length
        if end > len(text):
            continue
        handle = by_key.get(text[start:end].casefold())
        if handle is not None and _is_boundary(text, end):
            return handle
    return None


async def mentionable(text: str) -> list[User]:
    """The active colleagues whose login or name `text` may mention, and no one else
    (not every colleague: only those named after an `@`)."""
    handles = mention_candidates(text, MAX_LOOKUPS)
    if handles is None:
        return await User.filter(active=True).order_by("id")
    people: dict[int, User] = {}
    ordered = sorted(handles)
    for first in range(0, len(ordered), LOOKUP_BATCH):
        batch = ordered[first : first + LOOKUP_BATCH]
        # LOWER() folds ASCII on SQLite and all of Unicode on PostgreSQL; the
        # handles as typed and in their usual cases catch the rest.
        lowered = sorted({h.lower() for h in batch} | {h.casefold() for h in batch})
        typed = sorted({v for h in batch for v in (h, h.lower(), h.upper(), h.title())})
        rows = await User.annotate(login_key=Lower("login"), name_key=Lower("name")).filter(
            Q(login_key__in=lowered) | Q(name_key__in=lowered) | Q(login__in=typed) | Q(name__in=typed),
            active=True,
        )
        people.update((person.id, person) for person in rows)
    return [people[user_id] for user_id in sorted(people)]


async def resolve_mentions(
    text: str, candidates: Iterable[User] | None = None, *, refuse_ambiguous: bool = False
) -> list[int]:
    """Ids of the active colleagues mentioned in `text`, in order of first mention.

    `candidates` limits who can be mentioned (say, a conversation's members);
    by default every active user, of whom only those the text may name are
    loaded (`mentionable`). A handle shared by two people mentions neither;
    with `refuse_ambiguous` it is a 422 on `body` instead.
    """
    if "@" not in text:
        return []
    people = list(candidates) if candidates is not None else await mentionable(text)
    owners: dict[str, set[int]] = {}
    for person in people:
        for handle in {person.login.casefold(), person.name.casefold()}:
            owners.setdefault(handle, set()).add(person.id)
    result: list[int] = []
    ambiguous: list[str] = []
    for handle in find_mentions(text, owners):
        user_ids = owners[handle.casefold()]
        if len(user_ids) > 1:
            ambiguous.append(handle)
        elif (user_id := next(iter(user_ids))) not in result:
            result.append(user_id)
    if ambiguous and refuse_ambiguous:
        names = ", ".join(f"@{handle}" for handle in ambiguous)
        problem = f"{names} names more than one colleague; mention them by login instead"
        error = invalid({"body": problem}, f"body: {problem}.")
        error.details["ambiguous"] = ambiguous
        raise error
    return result
