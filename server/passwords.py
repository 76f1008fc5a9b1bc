"""What a new password must be: at least 10 characters, not common, not built
from the person's login or name.

zxcvbn (Dropbox's estimator, with its lists of common passwords, names and
words, keyboard patterns, dates and repeats) judges how guessable a password
is; one it scores below 3 of 4 ("safely unguessable: moderate protection from
an offline slow-hash attack" — our hashes are Argon2) is refused with its
reason. Separately, a password holding the login, the name or a part of
either (4 characters or more) is refused whatever its score: the people who
guess at an account know whose it is.
"""

from __future__ import annotations

import asyncio
import re

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MIN_SCORE = 3
ZXCVBN_MAX_CHARS = 72  # zxcvbn refuses longer input; the start of a long one tells enough
MIN_PERSONAL_PART = 4


def _personal_words(login: str, name: str) -> list[str]:
    words = {login, name, name.replace(" ", "")}
    words |= set(re.split(r"[\s._\-@]+", f"{login} {name}"))
    return sorted(w.casefold() for w in words if len(w) >= MIN_PERSONAL_PART)


def password_problem(password: str, login: str, name: str) -> str | None:
    """Why `password` will not do for this person, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters"
    folded = password.casefold()
    if any(word in folded for word in _personal_words(login, name)):
        return "must not be built from your login or name"
    result = zxcvbn(password[:ZXCVBN_MAX_CHARS], user_inputs=_personal_words(login, name))
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    reason = feedback.get("warning") or "It is too easy to guess."
    hint = " ".join(feedback.get("suggestions") or [])
    return f"is too common or easy to guess: {reason.rstrip('.')}. {hint}".strip()


async def check_password(password: str, login: str, name: str) -> str | None:
    """`password_problem` off the event loop (zxcvbn takes milliseconds to tens of them)."""
    if len(password) < MIN_PASSWORD_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        return password_problem(password, login, name)
    return await asyncio.to_thread(password_problem, password, login, name)
