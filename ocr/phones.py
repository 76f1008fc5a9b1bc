"""Find phone numbers in labelled segments and sort them into mobile/phones/fax."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

# Letters OCR confuses with digits inside a number.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "B": "8"})


@dataclass(frozen=True)
class PhoneHit:
    e164: str
    kind: str  # "mobile" | "tel" | "fax" (landline)
    labelled: bool  # the card's label agreed with (or decided) the kind
    line_index: int


_COUNTRY_CODE = re.compile(r"\+(\d{2})(?=[\s().-])")


def _own_country_code(text: str, region: str) -> str:
    """``text`` with a two-digit country code that no country has and that is one digit
    away from the region's own (``+85 512 …`` for ``+86``) read as the region's."""
    own = str(phonenumbers.country_code_for_region(region))
    if len(own) != 2:
        return text

    def fix(match: re.Match[str]) -> str:
        code = match.group(1)
        unassigned = phonenumbers.region_code_for_country_code(int(code)) == phonenumbers.UNKNOWN_REGION
        near = sum(a != b for a, b in zip(code, own)) == 1
        return f"+{own}" if unassigned and near else match.group()

    return _COUNTRY_CODE.sub(fix, text)


def find_numbers(text: str, region: str) -> list[str]:
    """Valid numbers in ``text``, as E.164, in order of appearance."""
    cleaned = text.translate(_DIGIT_LOOKALIKES) if any(c.isdigit() for c in text) else text
    cleaned = _own_country_code(cleaned, region)
    found = []
    for match in PhoneNumberMatcher(cleaned, region, leniency=Leniency.VALID):
        found.append(phonenumbers.format_number(match.number, PhoneNumberFormat.E164))
    return found


def number_kind(e164: str, label: str | None) -> str:
    """"mobile" or "tel" by numbering plan; the label decides where the plan can't (e.g. US)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    if kind == PhoneNumberType.MOBILE:
        return "mobile"
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        return "mobile" if label == "mobile" else "tel"
    return "tel"


def classify(e164: str, label: str | None) -> tuple[str, bool]:
    """Kind of a number from its label and its numbering plan; and whether they agree.

    A fax label wins outright (a fax line looks like any landline). Otherwise
    the numbering plan decides mobile vs landline, since "Tel:" is often
    printed before mobiles too.
    """
    if label == "fax":
        return "fax", True
    kind = number_kind(e164, label)
    return kind, label == kind or (label == "tel" and kind == "mobile")


def assign(hits: list[PhoneHit]) -> tuple[str | None, list[str], str | None]:
    """(mobile, phones, fax): the first mobile and fax; every other number in phones."""
    mobile = next((h.e164 for h in hits if h.kind == "mobile"), None)
    fax = next((h.e164 for h in hits if h.kind == "fax"), None)
    phones: list[str] = []
    for hit in hits:
        if hit.e164 not in (mobile, fax) and hit.e164 not in phones:
            phones.append(hit.e164)
    return mobile, phones, fax
