"""Duplicate-customer detection (撞单): comparison keys for names and phones.

Two customers are the same company when their normalised names are equal,
or when they share a normalised phone/fax number. Matching is exact on the
keys, never fuzzy: a key that differs by one character is another company.
The rules are written for sales ops in docs/duplicates.md.

The module is pure (no database, no project imports) so the server can
compute keys when it stores a customer and compare them on every create.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import phonenumbers

from server import dedupe_words as words

__all__ = [
    "MatchKeys",
    "match_keys",
    "matched_fields",
    "matched_on",
    "normalize_company_name",
    "country_prefix",
    "local_number",
    "local_part",
    "normalize_phone",
    "phone_keys",
]

DEFAULT_REGION = "CN"

# Brackets after NFKC (full-width （） and ［］ have become ASCII by then).
BRACKETED = re.compile(r"[(\[{【〔〖《]([^()\[\]{}【】〔〕〖〗《》]*)[)\]}】〕〗》]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
EN_TOKEN = re.compile(r"[a-z0-9]+|&")
# Apostrophes join a word rather than split it: McDonald's, Xi'an.
APOSTROPHES = re.compile(r"['\u2019`]")
# A 市 that begins 市场/市政 belongs to the next word, not to the city.
CITY_SUFFIX_GUARD = {"市": frozenset("场政")}
EN_LEADING_NOISE = frozenset({"the"})
EN_TRAILING_NOISE = frozenset({"&", "and"})

# Level of a place, used to order places when they stay in the key.
COUNTRY, PROVINCE, CITY, DISTRICT = range(4)


class Place(NamedTuple):
    level: int
    name: str


# --- Chinese places ------------------------------------------------------------


def _build_zh_place_forms() -> dict[str, Place]:
    """Every written form of a place that is recognised anywhere at a name's edge."""
    forms: dict[str, Place] = {}
    for district in words.ALL_DISTRICTS_ZH:
        for suffix in words.DISTRICT_SUFFIXES_ZH:
            forms[district + suffix] = Place(DISTRICT, district)
    for city in words.CITIES_ZH:
        for suffix in ("", *words.CITY_SUFFIXES_ZH):
            forms[city + suffix] = Place(CITY, city)
    # Provinces last: 吉林 is both, and the province reading wins.
    for province in words.PROVINCES_ZH:
        for suffix in ("", *words.PROVINCE_SUFFIXES_ZH):
            forms[province + suffix] = Place(PROVINCE, province)
    for full, province in words.PROVINCE_FULL_NAMES_ZH.items():
        forms[full] = Place(PROVINCE, province)
    for country in words.COUNTRY_NAMES_ZH:
        forms[country] = Place(COUNTRY, "中国")
    return forms


ZH_PLACE_FORMS = _build_zh_place_forms()
ZH_PLACE_MAX_LEN = max(map(len, ZH_PLACE_FORMS))
GENERIC_MAX_LEN = max(map(len, words.GENERIC_WORDS_ZH))


def _guarded(text: str, form: str) -> bool:
    """True when the form's last character really starts the next word (上海市场)."""
    following = text[len(form) : len(form) + 1]
    return following != "" and following in CITY_SUFFIX_GUARD.get(form[-1], ())


def _zh_place_prefix(text: str, previous: Place | None) -> tuple[str, Place | None] | None:
    """The longest place form at the start of ``text``: (form, place or None for a zone)."""
    for size in range(min(len(text), ZH_PLACE_MAX_LEN), 1, -1):
        form = text[:size]
        place = ZH_PLACE_FORMS.get(form)
        if place is not None and not _guarded(text, form):
            return form, place
        if previous is None:
            continue
        # Bare district names only count right after their own city (上海浦东…).
        if form in words.DISTRICTS_ZH.get(previous.name, ()):
            return form, Place(DISTRICT, form)
        if form in words.ZONES_ZH:
            return form, None
    return None


def _strip_zh_leading_places(text: str) -> tuple[str, list[tuple[str, Place | None]]]:
    """Remove places from the start: the rest, and each (form, place) removed in order."""
    removed: list[tuple[str, Place | None]] = []
    previous: Place | None = None
    while (found := _zh_place_prefix(text, previous)) is not None:
        text = text[len(found[0]) :]
        removed.append(found)
        previous = found[1] or previous
    return text, removed


def _places(removed: list[tuple[str, Place | None]]) -> list[Place]:
    return [place for _, place in removed if place is not None]


def _zh_place_suffix(text: str) -> tuple[str, Place] | None:
    for size in range(min(len(text), ZH_PLACE_MAX_LEN), 1, -1):
        place = ZH_PLACE_FORMS.get(text[-size:])
        if place is not None:
            return text[-size:], place
    return None


def _zh_business_suffix(text: str) -> str | None:
    return next((form for form in words.BUSINESS_FORMS_ZH if text.endswith(form)), None)


def _strip_zh_tail(text: str) -> tuple[str, list[tuple[str, Place | None]]]:
    """Peel business forms and places off the end, in any order (…有限公司上海分公司).

    Returns the rest and each place (form, place) removed, innermost last.
    """
    removed: list[tuple[str, Place | None]] = []
    branch = False
    while text:
        if (form := _zh_business_suffix(text)) is not None:
            text = text[: -len(form)]
            branch = form in words.BRANCH_FORMS_ZH
        elif (found := _zh_place_suffix(text)) is not None:
            text = text[: -len(found[0])]
            # A branch's place (…上海分行) locates the branch, not the company.
            removed.append((found[0], None) if branch else found)
            branch = False
        else:
            break
    return text, removed


def _distinctive_chars_zh(text: str) -> int:
    """How many characters of ``text`` are not covered by generic industry words.

    0 means the text is generic only (服装贸易); 瑞丽服装 gives 2.
    """
    cost = [0] + [len(text)] * len(text)
    for end in range(1, len(text) + 1):
        cost[end] = cost[end - 1] + 1
        for start in range(max(0, end - GENERIC_MAX_LEN), end - 1):
            if text[start:end] in words.GENERIC_WORDS_ZH:
                cost[end] = min(cost[end], cost[start])
    return cost[-1]


# --- English places and forms ----------------------------------------------------


def _en_tokens(text: str) -> list[str]:
    return EN_TOKEN.findall(APOSTROPHES.sub("", text))


def _ends_with(tokens: list[str], sequence: tuple[str, ...]) -> bool:
    return len(tokens) >= len(sequence) and tuple(tokens[-len(sequence) :]) == sequence


def _en_place_at_start(tokens: list[str]) -> tuple[str, ...] | None:
    return next((p for p in words.ENGLISH_PLACES if tuple(tokens[: len(p)]) == p), None)


def _strip_en_leading_places(tokens: list[str]) -> tuple[list[str], list[Place]]:
    places: list[Place] = []
    while (place := _en_place_at_start(tokens)) is not None:
        tokens = tokens[len(place) :]
        places.append(Place(PROVINCE, "".join(place)))
    return tokens, places


def _strip_en_tail(tokens: list[str]) -> tuple[list[str], list[Place]]:
    """Peel business forms, places and a dangling '&'/'and' off the end."""
    places: list[Place] = []
    branch = False
    while tokens:
        form = next((f for f in words.BUSINESS_FORMS_EN if _ends_with(tokens, f)), None)
        place = next((p for p in words.ENGLISH_PLACES if _ends_with(tokens, p)), None)
        if form is not None:
            tokens = tokens[: -len(form)]
            branch = form in words.BRANCH_FORMS_EN
        elif place is not None:
            tokens = tokens[: -len(place)]
            if not branch:  # "… Shanghai Branch" locates the branch only
                places.append(Place(PROVINCE, "".join(place)))
            branch = False
        elif tokens[-1] in EN_TRAILING_NOISE:
            tokens = tokens[:-1]
        else:
            break
    return tokens, places


# --- Names -------------------------------------------------------------------------


def _letters_and_digits(text: str) -> str:
    """Drop punctuation, symbols and whitespace; keep every script's letters and digits."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _bracket_places(content: str) -> list[Place] | None:
    """Places named by a bracket's content, [] for a business form, None for anything else."""
    compact = _letters_and_digits(content)
    if not compact or compact in words.BUSINESS_FORMS_ZH:
        return []
    if CJK.search(compact):
        rest, removed = _strip_zh_leading_places(compact)
        return _places(removed) if not rest else None
    tokens, places = _strip_en_tail(_en_tokens(content))
    return places if not tokens else None


def _extract_brackets(text: str) -> tuple[str, list[Place]]:
    """Remove bracketed places and forms (瑞丽服装（上海）); other bracket text stays in the name."""
    places: list[Place] = []

    def replace(match: re.Match[str]) -> str:
        found = _bracket_places(match.group(1))
        if found is None:
            return f" {match.group(1)} "
        places.extend(found)
        return " "

    return BRACKETED.sub(replace, text), places


def _with_places(core: str, places: list[Place], generic: bool) -> str:
    """Apply the place rule: a generic-only core keeps its places, or means nothing."""
    if core and not generic:
        return core
    if not core or not places:
        return ""
    return "".join(p.name for p in sorted(set(places))) + core


def _normalize_zh(text: str, bracketed: list[Place]) -> str:
    core, leading = _strip_zh_leading_places(_letters_and_digits(text))
    core, trailing = _strip_zh_tail(core)
    if _distinctive_chars_zh(core) == 1:
        # A registered trade name (字号) has at least two characters, so a
        # single one left means the nearest "place" was part of it: 广州白云山
        # is 白云山, not 白云 + 山; 三明治 is not 三明; 老北京 is not 北京.
        if trailing:
            core += trailing.pop()[0]
        elif leading:
            core = leading.pop()[0] + core
    places = _places(leading) + _places(trailing) + bracketed
    return _with_places(core, places, _distinctive_chars_zh(core) == 0)


def _normalize_en(text: str, bracketed: list[Place]) -> str:
    tokens = _en_tokens(text)
    while tokens and tokens[0] in EN_LEADING_NOISE:
        tokens = tokens[1:]
    tokens, trailing = _strip_en_tail(tokens)
    if len(tokens) == 1 and trailing:
        # One word before a place is usually a name with the place in it
        # (Air China), not a company followed by its city.
        tokens.append(trailing.pop().name)
    tokens, leading = _strip_en_leading_places(tokens)
    generic = all(token in words.GENERIC_WORDS_EN for token in tokens)
    # Joined without spaces so pinyin spacing does not matter (Rui Li ≡ Ruili).
    return _with_places("".join(tokens), leading + trailing + bracketed, generic)


def normalize_company_name(name: str | None) -> str:
    """The comparison key of a company name; equal keys mean the same company.

    Returns "" when nothing identifying is left (empty input, only a legal
    form, only a place); callers must never treat "" as a match.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    text, bracketed = _extract_brackets(text)
    if CJK.search(text):
        return _normalize_zh(text, bracketed)
    return _normalize_en(text, bracketed)


# --- Phones ------------------------------------------------------------------------

# After the first digit, these start an extension or a second number.
PHONE_CUTS = re.compile(r"(?i)ext|extension|x|转|分机|#|/|;|,|、|或")
PHONE_GROUPS = re.compile(r"\d+")
MIN_PHONE_DIGITS = 7


def _phone_candidates(text: str) -> list[str]:
    """The number as written, then with trailing digit groups dropped (021-5888-1234-801)."""
    groups = PHONE_GROUPS.findall(text)
    plus = "+" if text.lstrip().startswith("+") else ""
    candidates = []
    for count in range(len(groups), 0, -1):
        digits = "".join(groups[:count])
        if len(digits) < MIN_PHONE_DIGITS:
            break
        candidates.append(plus + digits)
    return candidates


def _parse_valid(candidate: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) and not _old_cn_landline(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A Chinese landline: area code (10, 2x or three digits from 3) and a local
# number of 7 or 8 digits that starts with 2-9.
CN_LANDLINE = re.compile(r"(10|2\d|[3-9]\d\d)([2-9]\d{6,7})")


def _cn_area_length(national: str) -> int:
    match = CN_LANDLINE.fullmatch(national)
    return len(match.group(1)) if match else 0


def _old_cn_landline(number: phonenumbers.PhoneNumber) -> bool:
    """A landline in an area that has since moved to 8-digit numbers (0514-2398577):
    libphonenumber calls it invalid, but companies still print it and the 慧聪
    rules' own example is one. Area code and local number must have the shape."""
    return number.country_code == 86 and _cn_area_length(phonenumbers.national_significant_number(number)) > 0


def _number_text(raw: str | None) -> str | None:
    """The first number in a field: from its first digit (or +), up to an extension or a second number."""
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", raw)
    first_digit = re.search(r"[+\d]", text)
    if first_digit is None:
        return None
    text = text[first_digit.start() :]
    cut = PHONE_CUTS.search(text)
    return text if cut is None else text[: cut.start()]


def normalize_phone(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of a phone or fax number ("+862158881234"), or None.

    Tolerates labels ("电话:"), separators, full-width digits, a 0086/86
    prefix, the (0) after +86 and extensions ("ext 8", "转 801", "-801").
    Numbers without an area code are None: they cannot be compared safely.
    """
    text = _number_text(raw)
    if text is None:
        return None
    for candidate in _phone_candidates(text):
        if (e164 := _parse_valid(candidate, region.upper())) is not None:
            return e164
    return None


def phone_keys(*raws: str | None, region: str = DEFAULT_REGION) -> set[str]:
    """Normalised keys of several number fields (phone, fax, mobile…), invalid ones left out."""
    return {key for raw in raws if (key := normalize_phone(raw, region)) is not None}


# Digits a landline's local number may have when written without its area code.
LOCAL_DIGITS = (7, 8)


def local_number(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """The digits of a landline written without its area code ("2398577",
    "8697-6761"), or None when `raw` is anything else (a full number, a
    mobile, too short or too long). Only 7 or 8 digits, not starting with 0
    or 1 (a trunk prefix or a mobile)."""
    text = _number_text(raw)
    if text is None or normalize_phone(raw, region) is not None:
        return None
    digits = "".join(PHONE_GROUPS.findall(text))
    if len(digits) not in LOCAL_DIGITS or digits[0] in "01" or re.search(r"[^\d\s\-.()（）]", text.strip()):
        return None
    return digits


def local_part(key: str | None) -> str | None:
    """The local number inside a stored E.164 key (its area code removed), or
    None for numbers without one (mobiles, non-geographic numbers)."""
    if not key:
        return None
    try:
        number = phonenumbers.parse(key)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    if area == 0 and number.country_code == 86:
        area = _cn_area_length(national)
    return national[area:] if area else None


def country_prefix(region: str = DEFAULT_REGION) -> str:
    """"+86" for CN: how every stored key of the region begins."""
    return f"+{phonenumbers.country_code_for_region(region.upper())}"


# --- Matching ----------------------------------------------------------------------


@dataclass(frozen=True)
class MatchKeys:
    """What a customer is compared on: its name key and all its number keys."""

    name: str
    phones: frozenset[str]


def match_keys(
    name: str | None,
    phone: str | None = None,
    fax: str | None = None,
    region: str = DEFAULT_REGION,
) -> MatchKeys:
    return MatchKeys(
        name=normalize_company_name(name),
        phones=frozenset(phone_keys(phone, fax, region=region)),
    )


def matched_on(a: MatchKeys, b: MatchKeys) -> list[str]:
    """Which of "name" and "phone" make ``a`` and ``b`` duplicates (empty: not duplicates)."""
    found = []
    if a.name and a.name == b.name:
        found.append("name")
    if a.phones & b.phones:
        found.append("phone")
    return found


def matched_fields(
    query_name: str | None,
    query_phone: str | None,
    query_fax: str | None,
    cand_name: str | None,
    cand_phone: str | None,
    cand_fax: str | None,
    region: str = DEFAULT_REGION,
) -> list[str]:
    """The candidate's fields that match the query, sorted: a subset of fax/name/phone.

    A candidate's phone or fax matches when it equals either of the query's
    numbers, because a number typed as a fax is often the switchboard.
    """
    query_numbers = phone_keys(query_phone, query_fax, region=region)
    found = []
    name_key = normalize_company_name(query_name)
    if name_key and name_key == normalize_company_name(cand_name):
        found.append("name")
    if normalize_phone(cand_phone, region) in query_numbers:
        found.append("phone")
    if normalize_phone(cand_fax, region) in query_numbers:
        found.append("fax")
    return sorted(found)
