"""Fields that vouch for each other: the name and the email, the company and the domain.

A card states some things twice. The email's local part is usually the
person's name ("liu.yang@", "jwalker@"), in pinyin on Chinese cards; the
email's domain or the web host usually carries the company's brand
("huaxin.example.com" for 华信…有限公司). When two readings agree, both are
surer; when a reading of the local part is a lookalike or a truncation of
the name's spelling, the name's spelling wins.
"""

from __future__ import annotations

import re

from ocr.pinyin import spell
from ocr.vocab import COMPOUND_SURNAMES

# OCR lookalikes inside a local part: what was read -> what it may be.
_LOOKALIKE = str.maketrans({"1": "l", "|": "l", "0": "o", "5": "s", "8": "b", "6": "b", "9": "g", "2": "z"})


def name_spellings(name: str) -> set[str]:
    """Local parts a company would make from ``name`` (lower case, no digits)."""
    if not name:
        return set()
    words = re.findall(r"[A-Za-z]+", name)
    if len(words) >= 2 and name.isascii():
        first, last = words[0].lower(), words[-1].lower()
    else:
        core = "".join(ch for ch in name if "\u3400" <= ch <= "\u9fff")
        cut = 2 if core[:2] in COMPOUND_SURNAMES else 1
        surname, given = spell(core[:cut]), spell(core[cut:])
        if not surname or not given or len(core) < 2:
            return set()
        first, last = "".join(given), "".join(surname)
        initials = "".join(s[0] for s in given)
        return {f"{last}{first}", f"{last}.{first}", f"{first}.{last}", f"{first}{last}", f"{last}_{first}",
                f"{first}_{last}", f"{initials}{last}", f"{last}{initials}", f"{last}.{initials}",
                f"{initials}.{last}", f"{first[0]}{last}", f"{last}{first[0]}", first, last}
    return {f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}", f"{last}.{first}", f"{last}{first}",
            f"{first}_{last}", f"{last}{first[0]}", f"{first[0]}.{last}", first}


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one substituted, dropped or added character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def check_email(email: str, name: str | None) -> tuple[str, float | None]:
    """(email, agreement): the email repaired from the name's spelling where the
    reading is a lookalike or a cut-off of it; agreement is 1.0 when the local part
    is (now) a spelling of the name, 0.0 when it can't be checked, None when it
    does not match (a handle like "sales" or "info")."""
    local, at, domain = email.partition("@")
    if not at:
        return email, None
    # A leading "1" before letters is an "l": handles don't start with a digit and a word.
    if re.match(r"1[a-z]", local):
        local = "l" + local[1:]
    spellings = name_spellings(name or "")
    if not spellings:
        return f"{local}@{domain}", 0.0
    match = re.fullmatch(r"(.*?)(\d*)", local)
    assert match is not None  # the pattern matches any string
    core, digits = match.group(1), match.group(2)
    if core in spellings:
        return f"{local}@{domain}", 1.0
    looks = core.translate(_LOOKALIKE)
    if looks in spellings:
        return f"{looks}{digits}@{domain}", 1.0
    # "rn" read as "m" ("lucasthomton"): the two print almost alike.
    by_m = [s for s in spellings if "rn" in s and s.replace("rn", "m") == looks.replace("rn", "m")]
    if len(by_m) == 1:
        return f"{by_m[0]}{digits}@{domain}", 1.0
    # The start of a long handle lost at the card's edge or to page layout ("ker" for "james.walker").
    cut = [s for s in spellings if len(core) >= 3 and len(s) > len(core) and s.endswith(core) and len(s) >= 6]
    if len(cut) == 1:
        return f"{cut[0]}{digits}@{domain}", 1.0
    near = [s for s in spellings if len(s) >= 4 and _one_edit(looks, s)]
    if len(near) == 1:
        return f"{near[0]}{digits}@{domain}", 0.9
    far = _closest_long_spelling(looks, spellings)
    if far:
        return f"{far}{digits}@{domain}", 0.9
    return f"{local}@{domain}", None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


# A long handle may carry several misread letters and still be the name: one edit per
# this many letters of the spelling, from spellings this long on.
LONG_SPELLING = 10
LETTERS_PER_EDIT = 5


def _closest_long_spelling(looks: str, spellings: set[str]) -> str | None:
    """The one long spelling of the name a handle is a few misreadings from
    (``gabnicigallagher`` → ``gabrielgallagher``): within one edit per five letters,
    with every other spelling (but the same letters with a dot or underscore) at least
    two edits further."""
    if len(looks) < LONG_SPELLING:
        return None
    ranked = sorted((_edits(looks, s), s) for s in spellings)
    best, spelling = ranked[0]
    if len(spelling) < LONG_SPELLING or best > len(spelling) // LETTERS_PER_EDIT:
        return None
    letters = re.sub(r"[._]", "", spelling)
    if any(d < best + 2 for d, s in ranked[1:] if re.sub(r"[._]", "", s) != letters):
        return None
    return spelling


# What an "@" is read as when it is not read as itself.
_AT_LOOKALIKES = frozenset("egqaoc©®(")
_TOP_LEVEL = frozenset({"com", "cn", "net", "org", "edu", "gov", "info", "biz", "io", "co", "hk", "tw", "jp", "uk",
                        "de"})
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def email_from_name(text: str, name: str | None) -> str | None:
    """An email in ``text`` whose "@" was read as a letter (``blackwoodrGhongda example
    com cn``, ``jing. 1v20eyuanhangprin.example.com.cn``), found by the name: the text
    starts with a spelling of the name (lookalikes allowed, one word), then digits, then one
    character an "@" is read as, then words that end in a top-level domain (spaces
    where dots were lost become dots). None when the text is anything else."""
    lowered = text.strip().lower()
    if "@" in lowered or "www" in lowered or "://" in lowered:
        return None
    spellings = sorted((s for s in name_spellings(name or "") if len(s) >= 5), key=len, reverse=True)
    kept = [i for i, ch in enumerate(lowered) if not ch.isspace()]  # squeezed position -> position in text
    squeezed = "".join(lowered[i] for i in kept)
    for spelling in spellings:
        head = squeezed[:len(spelling)]
        if len(head) < len(spelling) or head.translate(_LOOKALIKE) != spelling:
            continue
        # One word, as a handle is printed: a space only beside a dot ("jing. lv"), never
        # between words ("rebecca blackwood example com" is a name and a word).
        if re.search(r"(?<![._-])\s+(?![._-])", lowered[kept[0]:kept[len(spelling) - 1] + 1]):
            continue
        rest = re.match(r"(\d*)(.)", squeezed[len(spelling):])
        if rest is None or rest.group(2) not in _AT_LOOKALIKES or len(kept) <= len(spelling) + rest.end():
            continue
        at = len(spelling) + rest.end() - 1
        if kept[at] != kept[at - 1] + 1 or kept[at + 1] != kept[at] + 1:
            continue  # the "@" is glued to the handle and to the domain; a space makes it a word
        tail = lowered[kept[len(spelling) + rest.end()]:]
        domain = re.sub(r"[\s.]+", ".", tail.strip(" ."))
        if _DOMAIN.fullmatch(domain) and domain.rsplit(".", 1)[-1] in _TOP_LEVEL:
            return f"{spelling}{rest.group(1)}@{domain}"
    return None


def domain_brand(email: str | None, website: str | None) -> str:
    """The brand part of the card's domain ("huaxin" from "www.huaxin.example.com")."""
    host = (website or "").lower()
    if not host and email and "@" in email:
        host = email.partition("@")[2].lower()
    host = re.sub(r"^www\.", "", host)
    return host.split(".")[0] if host else ""


def company_agrees(company: str | None, brand: str) -> float | None:
    """1.0 when the pinyin of two or more consecutive characters of the company starts
    the domain's brand, 0.0 when it can't be checked (Latin name, no domain, unknown
    characters), None when it was checked and nothing agreed."""
    if not company or not brand or len(brand) < 4:
        return 0.0
    if company.isascii():
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", company)]
        return 1.0 if any(len(w) >= 4 and brand.startswith(w) for w in words) else None
    core = "".join(ch for ch in company if "\u3400" <= ch <= "\u9fff")
    near = False
    for i in range(len(core) - 1):
        first, pair = spell(core[i]), spell(core[i:i + 2])
        if pair and brand.startswith("".join(pair)):
            return 1.0
        # One character spells the brand's start, the next does not: likely a misread.
        near = near or bool(first and len(first[0]) >= 2 and brand.startswith(first[0]))
    return None if near else 0.0


# Words company domains are commonly made of, besides the brand: a label one misread
# letter from exactly one of them (``grovp``, ``glcbal``) is that word. The made-up domains of
# the card generators (example.com and the like) are not in it: no real card carries them.
DOMAIN_WORDS = frozenset({
    "group", "tech", "technology", "global", "china", "international", "intl", "trade", "trading", "online",
    "service", "services", "solutions", "consulting", "design", "media", "digital", "network", "systems",
    "software", "energy", "capital", "holdings", "industry", "industrial", "logistics", "medical", "health",
    "finance", "invest", "electric", "electronics", "machinery", "chemical", "printing", "foods", "travel",
    "education", "auto", "motors", "bank", "mail", "email", "info", "official", "office", "company", "corp",
    "business", "world", "smart", "cloud", "data", "mobile", "home", "shop", "store",
})


def _domain_word(label: str) -> str:
    """``label`` as the domain word it is one edit from, when exactly one such word exists."""
    if len(label) < 5 or label in DOMAIN_WORDS or label in _TOP_LEVEL or not label.isalpha():
        return label
    fits = [w for w in DOMAIN_WORDS if len(w) >= 5 and _one_edit(label, w)]
    return fits[0] if len(fits) == 1 else label


def repair_domain(domain: str) -> str:
    """A domain whose word labels were misread by a letter put right (``haina.exampile.com.cn``);
    a dot lost before the top-level domain (``exampiecom.cn``) comes back with it. The first
    label (the brand) is left alone."""
    labels = domain.split(".")
    out = labels[:1]
    for label in labels[1:]:
        fixed = _domain_word(label)
        if fixed == label and label not in DOMAIN_WORDS:
            glued = re.fullmatch(r"([a-z]{5,})(com|net|org)", label)
            word = _domain_word(glued.group(1)) if glued else ""
            if glued and word in DOMAIN_WORDS:
                fixed = f"{word}.{glued.group(2)}"
        out.append(fixed)
    return ".".join(out)


def repair_hosts(email: str | None, website: str | None) -> tuple[str | None, str | None]:
    """The email's domain and the web host with misread domain words put right."""
    if email and "@" in email:
        local, _, domain = email.partition("@")
        email = f"{local}@{repair_domain(domain)}"
    if website:
        scheme = re.match(r"(?:https?://)?(?:www\.)?", website, re.IGNORECASE)
        head = scheme.group(0) if scheme else ""
        host, slash, path = website[len(head):].partition("/")
        website = f"{head}{repair_domain(host)}{slash}{path}"
    return email, website


def _near(a: str, b: str) -> bool:
    """One edit apart, or two lookalike substitutions in strings of one length."""
    if _one_edit(a, b):
        return True
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 2


def check_hosts(email: str | None, website: str | None) -> tuple[str | None, str | None, float | None]:
    """(email, website, agreement) with the email's domain checked against the web host.

    Cards print both from one domain. A domain a character or two away from
    the host ("cxample" for "example", "dingshengroup") is a misreading of it.
    A lost dot is a common misreading, a dot read where there is none is not:
    of two readings that differ in their dots, the one with more wins;
    otherwise the host, read as "www." plus a name, does. Agreement is 1.0
    when the two are (now) one domain, 0.0 with nothing to compare, None when
    they differ beyond a misreading (a card may give a personal mailbox)."""
    if not email or not website or "@" not in email:
        return email, website, 0.0
    local, _, domain = email.partition("@")
    lowered = website.lower()
    www = "www." if lowered.startswith("www.") else ""
    host = lowered[len(www):]
    if domain == host:
        return email, website, 1.0
    if len(host) >= 8 and _near(domain, host):
        if domain.count(".") > host.count("."):
            return email, f"{www}{domain}", 1.0
        return f"{local}@{host}", website, 1.0
    return email, website, None
