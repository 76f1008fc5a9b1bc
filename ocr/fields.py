"""Recognisers for the free-text fields: email, website, company, title, name, address.

Each returns a score in 0..1 saying how sure the *method* is; the parser
multiplies it with the OCR confidence of the line it came from.
"""

from __future__ import annotations

import re

from ocr.vocab import (
    COMPOUND_SURNAMES,
    EN_COMPANY_SUFFIX,
    EN_TITLE_WORDS,
    SURNAMES,
    ZH_COMPANY_SUFFIXES,
    ZH_TITLE,
)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
WEBSITE = re.compile(r"(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|biz|info|io|co|hk|tw)"
                     r"(?:\.[a-z]{2})?(?:/[^\s]*)?", re.IGNORECASE)
_ZH_ADDRESS = re.compile(r"(省|市|区|县|路|街|道|号|大厦|楼|室|镇|村|园)")
_EN_ADDRESS = re.compile(r"\b(road|rd\.?|street|st\.|avenue|ave\.?|room|floor|district|building|no\.|tower)\b", re.I)
# Words a job title starts with ("Key Account Manager", "Vice President").
EN_TITLE_START = re.compile(
    r"(senior|junior|chief|vice|deputy|assistant|associate|executive|general|regional|area|global|key|account|"
    r"head|sales|marketing|technical|product|project|operations|finance|financial|business|purchasing|hr|"
    r"r&d|administration|department|managing|ceo|cto|cfo|coo|vp|president|director|manager|engineer|"
    r"consultant|designer|architect|analyst|specialist|supervisor|representative|chairman|founder|partner|"
    r"software|customer|international|national|country|district|branch|office|lead|principal)\b",
    re.IGNORECASE,
)
_EN_NAME = re.compile(r"^[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,2}$")


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def cjk_only(text: str) -> str:
    return "".join(CJK.findall(text))


_TLDS = frozenset({"com", "net", "org", "cn", "edu", "gov", "info", "biz", "io", "hk", "tw", "jp", "uk", "de"})
_DOMAIN = re.compile(r"(?<=@)[A-Za-z0-9.-]+")


def _hyphen_before_tld(match: re.Match[str]) -> str:
    """No top-level domain contains a hyphen: "example-net" at the end of an
    address is "example.net" with its dot misread."""
    domain = match.group()
    head, _, last = domain.rpartition(".")
    stem, dash, tld = last.rpartition("-")
    if dash and stem and tld.lower() in _TLDS:
        return f"{head}.{stem}.{tld}" if head else f"{stem}.{tld}"
    return domain


# Marks OCR reads for a small dot; none can appear inside a host name.
_DOT_LOOKALIKE = re.compile(r"(?<=[A-Za-z0-9])[',`´·;](?=[A-Za-z]{2})")


def _dot_lookalikes(text: str) -> str:
    """"example'cn" -> "example.cn" after an "@" or a "www."."""
    host = re.search(r"@|www\.", text, re.IGNORECASE)
    if not host:
        return text
    return text[:host.end()] + _DOT_LOOKALIKE.sub(".", text[host.end():])


# A label run into the address it labels ("E.li@…", "Email:li@…"): read with
# address characters only, the space after the label is lost. Only a capital
# "E" counts, so a handle of its own that starts "e." stays whole.
_GLUED_EMAIL_LABEL = re.compile(r"(?<![A-Za-z0-9])(?:E-?mail|Mail|E)[.:](?=[A-Za-z0-9._%+-]+@)")


_SPLIT_HANDLE = re.compile(r"(?<![A-Za-z0-9._-])[A-Za-z0-9._-]{3,}(?: [A-Za-z0-9_-]{1,2})+(?=@)")


def find_email(text: str) -> str | None:
    # OCR sometimes spaces out "@", dots or the domain; an address has no spaces.
    text = re.sub(r"\s*([@.])\s*", r"\1", text)
    text = _GLUED_EMAIL_LABEL.sub("", text)
    at = text.find("@")
    if at >= 0:
        text = text[:at] + re.sub(r"\s+", "", text[at:])
        # A handle OCR spaced out before its last letters or digits ("tangwe i 57@").
        text = _SPLIT_HANDLE.sub(lambda m: m.group().replace(" ", ""), text)
    text = _dot_lookalikes(text)
    text = _DOMAIN.sub(_hyphen_before_tld, text)
    match = EMAIL.search(text)
    return _digit_lookalikes(_cut_after_tld(match.group().strip("."))).lower() if match else None


def _cut_after_tld(email: str) -> str:
    """"…example.com.cnwilliam" -> "…example.com.cn": a word printed after the
    address runs into it once the spaces after the "@" are squeezed out."""
    head, dot, last = email.rpartition(".")
    if not dot or last.lower() in _TLDS:
        return email
    for tld in ("com", "net", "org", "cn"):
        if last.lower().startswith(tld) and len(last) > len(tld) + 2:
            return f"{head}.{last[:len(tld)]}"
    return email


# "l", "I" or "|" right after a digit inside an email handle is a misread
# "1" ("info1l" is "info11"). Before a digit it is left alone: "michael63"
# is as likely as "info12" read as "infol2".
_ONE_BY_DIGIT = re.compile(r"(?<=\d)[lI|]")


def _digit_lookalikes(email: str) -> str:
    local, _, domain = email.partition("@")
    for _ in range(len(local)):  # "1ll" -> "111": each pass fixes the next neighbour
        fixed = _ONE_BY_DIGIT.sub("1", local)
        if fixed == local:
            break
        local = fixed
    return f"{local}@{domain}"


# A host after "www." or a scheme, cut by a space OCR put inside a word.
_HOST_GAP = re.compile(r"(?:(?<=[Ww]{3}\.)|(?<=://))([A-Za-z0-9.-]+) ([A-Za-z0-9.-]+)")
_ENDS_IN_TLD = re.compile(r"\.(?:com|net|org|cn|edu|gov|info|biz|io|hk|tw|jp|uk|de)$", re.IGNORECASE)


def _close_host_gap(match: re.Match[str]) -> str:
    """"www.xingchen.exa mple.net" -> one host, but only when the first part
    can't be a host on its own and the joined one ends in a top-level domain."""
    head, tail = match.group(1), match.group(2)
    if not _ENDS_IN_TLD.search(head) and _ENDS_IN_TLD.search(head + tail):
        return head + tail
    return match.group()


_WWW_LOOKALIKE = re.compile(r"(?<![A-Za-z0-9.-])(?:[wv][wuve]w|w[wuv]v|[wv]w|vvv)\.(?=[A-Za-z0-9-]+\.)", re.IGNORECASE)


def find_website(text: str) -> str | None:
    """A web address that is not part of an email, without scheme."""
    squeezed = _dot_lookalikes(re.sub(r"\s*([./:])\s*", r"\1", text))
    # A lost dot after "www" ("wwwexample.com"): no real host name starts that way.
    squeezed = re.sub(r"(?<![A-Za-z0-9.-])(www)(?=[A-Za-z0-9-]+\.)", r"\1.", squeezed, flags=re.IGNORECASE)
    # "www" with a letter misread ("wuw.", "vww.") or a "W." label run into it ("W.www.").
    squeezed = _WWW_LOOKALIKE.sub("www.", squeezed)
    squeezed = re.sub(r"(?<![A-Za-z0-9.-])[Ww][.:](?=www\.)", "", squeezed)
    squeezed = _HOST_GAP.sub(_close_host_gap, squeezed)
    for match in WEBSITE.finditer(squeezed):
        start = match.start()
        if start > 0 and squeezed[start - 1] in "@.-_":
            continue
        url = re.sub(r"^https?://", "", match.group(), flags=re.I).rstrip("/").lower()
        # A stray mark read as a letter before "www." ("awww.example.com").
        url = re.sub(r"^[a-z]www\.(?=[a-z0-9-]+\.)", "www.", url)
        if "." in url and "@" not in url:
            return url
    return None


_GLUED_SUFFIX = re.compile(r"(?<=[a-z])(LLC|Ltd\.?|Inc\.?|GmbH|Corp\.?|Co\.,\s*Ltd\.?|PLC)$")


def unglue_suffix(text: str) -> str:
    """"Trustway TechnologyLLC" -> "Trustway Technology LLC": OCR drops the
    space before a capitalised legal suffix; a lower-case letter never runs
    into one in print."""
    return _GLUED_SUFFIX.sub(r" \1", text.strip())


# Company-name words with "rn", which OCR reads as "m" ("Intemational").
_RN_WORDS = {w.replace("rn", "m"): w for w in ("International", "Eastern", "Western", "Northern", "Southern", "Modern")}
_CO_LTD = re.compile(r"\bCo\.?\s+Ltd\b")
_LTD_MISREAD = re.compile(r"\bL[i1]d\b(?=\.?$)")  # "Ltd" with its t read as i or 1, as the last word


def repair_company(text: str) -> str:
    """A Latin company name as printed: the legal suffix apart from the name,
    no scrap of a logo before it, "rn" where OCR saw "m" in a common company
    word, "Ltd" where OCR saw "Lid", and "Co., Ltd" with the comma OCR tends to drop."""
    text = unglue_suffix(text)
    words = text.split(" ")
    # A logo's letter read into the name ("R Runze Chemicals", "ry Yuanhang …"):
    # a leading scrap that is the next word's initial, or short and in lower case.
    # The logo's scrap may keep a bracket of its round outline ("Ww) Wantong …").
    scrap = words[0].strip("()[]|") if words else ""
    if len(words) > 2 and words[1][:1].isupper() and scrap and (
            scrap.lower() == words[1][:1].lower() or (len(scrap) <= 2 and not scrap.isupper())):
        words = words[1:]
    text = " ".join(_RN_WORDS.get(word, word) for word in words)
    return _CO_LTD.sub("Co., Ltd", _LTD_MISREAD.sub("Ltd", text))


def company_score(text: str) -> float:
    """How much ``text`` looks like a company name (0 = not at all)."""
    if has_cjk(text):
        core = cjk_only(text)
        for suffix in ZH_COMPANY_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix) + 1:
                return 0.95 if suffix.endswith("公司") else 0.8
        return 0.0
    return 0.9 if EN_COMPANY_SUFFIX.search(unglue_suffix(text)) and len(text) > 5 else 0.0


def title_score(text: str) -> float:
    if has_cjk(text):
        core = cjk_only(text)
        match = ZH_TITLE.search(core)
        if not match or split_title_suffix(core):
            return 0.0  # no title, or "name + title" which the name step splits
        return 0.95 if match.start() == 0 else 0.6
    words = text.split()
    if 1 <= len(words) <= 6 and EN_TITLE_WORDS.search(text) and not any(c.isdigit() for c in text):
        return 0.85
    return 0.0


def split_title_suffix(core: str) -> tuple[str, str] | None:
    """"张伟销售经理" -> ("张伟", "销售经理") when a name precedes a title."""
    match = ZH_TITLE.search(core)
    if match and 2 <= match.start() <= 4 and zh_name_score(core[: match.start()]) >= 0.8:
        return core[: match.start()], match.group()
    return None


def zh_name_score(text: str) -> float:
    """2-4 Chinese characters starting with a common or compound surname."""
    if not (2 <= len(text) <= 4) or cjk_only(text) != text:
        return 0.0
    if text[:2] in COMPOUND_SURNAMES and len(text) >= 3:
        return 0.9
    if text[0] in SURNAMES and len(text) <= 3:
        return 0.85
    return 0.35 if len(text) <= 3 else 0.0


def fix_name_initial(text: str) -> str:
    """"lrene Sutton" -> "Irene Sutton": in a capitalised name a word can't
    start with a lower-case l followed by lower case; it is a misread I."""
    words = text.split()
    if len(words) >= 2 and any(w[:1].isupper() for w in words):
        words = ["I" + w[1:] if re.fullmatch(r"l[a-z]+", w) else w for w in words]
    return " ".join(words)


def en_name_score(text: str) -> float:
    if _EN_NAME.match(text) and not EN_TITLE_WORDS.search(text) and not EN_COMPANY_SUFFIX.search(text):
        return 0.75
    return 0.0


def tidy_zh_address(text: str) -> str:
    """Chinese addresses print digits tight against characters: "文化路561号".
    A floor number is followed by 楼, which OCR reads as its lookalike 搂.

    English addresses part their elements with commas, which OCR reads as
    full stops ("Hubin Avenue. Xiangcheng District") or drops after a floor
    ("27F Trade Tower"); "No." keeps its stop."""
    if not has_cjk(text):
        text = re.sub(r"(?<![Nn]o)(?<!Rd)(?<!St)(?<!Ave)(?<!Blvd)(?<=[a-z])\.(?= [A-Z])", ",", text)
        return re.sub(r"^(\d{1,3}F)(?= [A-Z])", r"\1,", text)
    text = re.sub(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])", "", text)
    return re.sub(r"(?<=\d)搂", "楼", text)


def address_score(text: str) -> float:
    if has_cjk(text):
        hits = len(_ZH_ADDRESS.findall(text))
        return 0.7 if hits >= 3 and any(c.isdigit() for c in text) else 0.0
    return 0.6 if _EN_ADDRESS.search(text) and any(c.isdigit() for c in text) else 0.0
