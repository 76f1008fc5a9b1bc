"""Turn OCR'd card lines into fields: name, title, company, phones, email, web, address.

Labelled values ("Tel:", "邮箱：") are trusted most; the rest of the card is
classified by vocabulary (legal suffixes, job titles, surnames) and by
layout (the name is usually the largest text). Every field gets a confidence
in 0..1: the method's certainty times the OCR confidence of its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocr import calibration, crosscheck, places
from ocr import fields as F
from ocr.labels import Segment, normalise, segment_line
from ocr.phones import PhoneHit, assign, classify, find_numbers
from ocr.vocab import ZH_TITLE

FIELD_NAMES = ("name", "title", "company", "mobile", "phones", "fax", "email", "website", "address")


@dataclass(frozen=True)
class TextLine:
    text: str
    conf: float = 1.0  # OCR confidence 0..1
    height: int = 0  # pixel height; 0 when unknown (plain text input)
    head: str = ""  # the words before a wide gap or a change of type size in the row, if any


@dataclass
class CardResult:
    # Each name in FIELD_NAMES: a string or None, "phones" a list of strings.
    fields: dict[str, Any] = field(default_factory=lambda: {k: ([] if k == "phones" else None) for k in FIELD_NAMES})
    confidence: dict[str, float] = field(default_factory=dict)
    raw_text: str = ""
    # field -> (raw confidence, cross-check: "agree" / "none" / "disagree") behind ``confidence``
    evidence: dict[str, tuple[float, str]] = field(default_factory=dict)


@dataclass
class _Card:
    lines: list[TextLine]
    result: CardResult
    free: list[Segment] = field(default_factory=list)  # unlabelled, not contact data
    line_of: dict[str, int] = field(default_factory=dict)  # field -> line it came from
    # field -> 1.0 another field confirms it, 0.0 nothing to check against, None checked and disagreed
    agreement: dict[str, float | None] = field(default_factory=dict)

    def put(self, name: str, value: str | list[str], method: float, line_index: int) -> None:
        if self.result.fields[name] in (None, []):
            self.result.fields[name] = value
            self.line_of[name] = line_index
            conf = method * self.lines[line_index].conf
            self.result.confidence[name] = round(max(0.0, min(1.0, conf)), 3)


# An address holds words: a labelled one with fewer letters (or Chinese characters) than this is a scrap.
MIN_ADDRESS_LETTERS = 4


def tidy(text: str) -> str:
    """Drop OCR debris (stray punctuation) from both ends."""
    text = re.sub(r"^[^\w\u4e00-\u9fff(（]+", "", text)
    return re.sub(r"[^\w\u4e00-\u9fff.)）]+$", "", text).strip()


def _contacts(card: _Card, segments: list[Segment], region: str) -> None:
    """Email, website, phones and labelled address; the rest is left in card.free."""
    hits: list[PhoneHit] = []
    for seg in segments:
        email = F.find_email(seg.text) if "@" in seg.text else None
        if email:
            card.put("email", email, 0.97 if seg.kind == "email" else 0.9, seg.line_index)
            continue
        website = F.find_website(seg.text) if seg.kind in ("web", None) else None
        if website and (seg.kind == "web" or website.startswith("www.") or "://" in seg.text):
            card.put("website", website, 0.95 if seg.kind == "web" else 0.85, seg.line_index)
            continue
        if seg.kind == "address":
            # A label and a scrap after it ("a 4" from a garbled line) is no address.
            if sum(c.isalpha() for c in seg.text) >= MIN_ADDRESS_LETTERS:
                card.put("address", F.tidy_zh_address(tidy(seg.text)), 0.9, seg.line_index)
            continue
        numbers = find_numbers(seg.text, region) if seg.kind in ("mobile", "tel", "fax", None) else []
        for number in numbers:
            kind, agreed = classify(number, seg.kind)
            hits.append(PhoneHit(number, kind, agreed, seg.line_index))
        if not numbers and seg.kind is None:
            card.free.append(seg)
    _put_phones(card, hits)


def _put_phones(card: _Card, hits: list[PhoneHit]) -> None:
    mobile, phones, fax = assign(hits)
    method = {h.e164: (0.98 if h.labelled else 0.88) for h in reversed(hits)}
    line_of = {h.e164: h.line_index for h in reversed(hits)}
    if mobile:
        card.put("mobile", mobile, method[mobile], line_of[mobile])
    if fax:
        card.put("fax", fax, method[fax], line_of[fax])
    if phones:
        card.put("phones", phones, min(method[p] for p in phones), line_of[phones[0]])


def _continue_address(card: _Card) -> None:
    """An address ending in a comma goes on: append the unlabelled lines that follow."""
    line = card.line_of.get("address")
    while line is not None and card.lines[line].text.rstrip().endswith(","):
        following = [seg for seg in card.free if seg.line_index == line + 1]
        if len(following) != 1:
            return
        card.result.fields["address"] += ", " + tidy(following[0].text)
        card.free.remove(following[0])
        line += 1


def _primary_text(text: str) -> str:
    """The Chinese part of a bilingual line ("销售经理 Sales Manager" -> "销售经理")."""
    letters = sum(c.isascii() and c.isalpha() for c in text)
    if F.has_cjk(text) and letters:
        return F.cjk_only(text) if len(F.cjk_only(text)) >= 2 else text
    return text


def _best(card: _Card, scorer: Callable[[str], float], *, prefer_cjk: bool = True) -> tuple[Segment, float] | None:
    """The free segment ``scorer`` likes most; Chinese beats English on bilingual cards."""
    scored = [(s, scorer(_primary_text(s.text))) for s in card.free]
    scored = [(s, v) for s, v in scored if v > 0]
    if not scored:
        return None
    # Between equal scores the surer reading wins (a row read twice, garbled once:
    # 武汉远航次询集团有了公司 and 武汉远航咨询集团有限公司), then the earlier line.
    return max(scored, key=lambda sv: (prefer_cjk and F.has_cjk(sv[0].text), sv[1],
                                       card.lines[sv[0].line_index].conf, -sv[0].line_index))


def _take(card: _Card, name: str, scorer: Callable[[str], float],
          repair: Callable[[str], str] = lambda text: text) -> None:
    """Fill ``name`` from the best-scoring free segment and remove it from the pool."""
    best = _best(card, scorer)
    if best is None:
        return
    seg, score = best
    card.put(name, repair(tidy(_primary_text(seg.text))), score, seg.line_index)
    card.free.remove(seg)


def _name_candidates(card: _Card) -> list[tuple[str, float, Segment]]:
    """(name, score, segment) for every free segment that could be a person's name."""
    tallest = max((card.lines[s.line_index].height for s in card.free), default=0) or 1
    out = []
    for seg in card.free:
        text = tidy(seg.text)
        core = F.cjk_only(text)
        latin = sum(c.isascii() and c.isalpha() for c in text)
        name, score = text, 0.0
        if len(core) >= 2 and (latin <= 3 or F.zh_name_score(core) >= 0.8):
            split = F.split_title_suffix(core)
            name, score = (split[0], 0.8) if split else (core, F.zh_name_score(core))
        if score <= 0 and latin > 3:
            name = F.fix_name_initial(text)
            score = F.en_name_score(name)
        if score <= 0:
            continue
        # Names are printed largest and near the top: weigh by relative size.
        size = card.lines[seg.line_index].height / tallest if card.lines[seg.line_index].height else 1.0
        rank = score * (0.6 + 0.4 * size) + (0.05 if core else 0.0)
        out.append((name, rank, seg))
    return out


def _take_name(card: _Card) -> None:
    candidates = _name_candidates(card)
    if not candidates:
        return
    name, rank, seg = max(candidates, key=lambda c: (c[1], -c[2].line_index))
    card.put("name", name, min(rank, 0.95), seg.line_index)
    split = F.split_title_suffix(F.cjk_only(seg.text))
    if split and card.result.fields["title"] is None:
        card.put("title", split[1], 0.8, seg.line_index)
    card.free.remove(seg)


def _name_like(text: str) -> bool:
    core = F.cjk_only(text)
    if core:
        return core == text.replace(" ", "") and 2 <= len(core) <= 4
    return F.en_name_score(F.fix_name_initial(text)) > 0


def _title_like(text: str) -> bool:
    if F.has_cjk(text):
        match = ZH_TITLE.search(F.cjk_only(text))
        return match is not None and match.start() == 0
    return F.title_score(text) > 0 and F.EN_TITLE_START.match(text) is not None


def _name_title_parts(seg: Segment, head: str) -> tuple[str, str] | None:
    """(name, title) when one free segment holds both, as cards print them on one row."""
    text = seg.text
    if _title_like(_primary_text(text)):
        return None  # the whole segment is a title ("销售 经理", "Sales  Manager")
    if head and text.startswith(head) and len(head) < len(text):
        name, title = head.strip(), text[len(head):].strip()
        if _name_like(name) and _title_like(_primary_text(title) if F.has_cjk(title) else title):
            return name, title
    words = text.split()
    if F.has_cjk(text) or len(words) < 3:
        return None
    for k in (2, 3):
        name, title = " ".join(words[:k]), " ".join(words[k:])
        if title and _name_like(name) and _title_like(title):
            return name, title
    return None


def _split_name_title(card: _Card) -> None:
    """Cut "Grace Walker  Account Manager" / "苏杰  总经理" into a name and a title segment."""
    for seg in list(card.free):
        parts = _name_title_parts(seg, card.lines[seg.line_index].head)
        if parts:
            at = card.free.index(seg)
            card.free[at:at + 1] = [Segment(None, parts[0], seg.line_index), Segment(None, parts[1], seg.line_index)]


# An email whose "@" was read as a letter and found through the name's spelling: less sure
# than an "@" read as itself (its domain has no "@" to start from); with the name's
# agreement it stays below 0.9 after calibration.
EMAIL_FROM_NAME = 0.7


def _email_from_name(card: _Card) -> None:
    """The email of a card that has none, from a row whose "@" was read as a letter."""
    for i, line in enumerate(card.lines):
        for seg in segment_line(line.text, i):
            if seg.kind not in ("email", None):
                continue
            email = crosscheck.email_from_name(seg.text, card.result.fields["name"])
            if email:
                card.put("email", email, EMAIL_FROM_NAME, i)
                return


def _cross_check(card: _Card) -> None:
    """Name ↔ email local part, company ↔ domain: repair lookalikes, adjust confidence."""
    fields, conf = card.result.fields, card.result.confidence
    if fields["email"] is None and fields["name"]:
        _email_from_name(card)
    email, website = crosscheck.repair_hosts(fields["email"], fields["website"])
    for name, value in (("email", email), ("website", website)):
        if value != fields[name]:
            fields[name] = value
            conf[name] = round(min(conf[name], 0.9), 3)
    if fields["email"] and fields["website"]:
        email, website, hosts = crosscheck.check_hosts(fields["email"], fields["website"])
        for name, value in (("email", email), ("website", website)):
            if value != fields[name]:
                fields[name] = value
                conf[name] = round(min(conf[name], 0.9), 3)
        if hosts:
            card.agreement["website"] = hosts
    if fields["email"]:
        email, agree = crosscheck.check_email(fields["email"], fields["name"])
        if email != fields["email"]:
            fields["email"] = email
            conf["email"] = round(min(conf["email"], 0.9), 3)
        card.agreement["email"] = agree
        if agree and fields["name"]:
            card.agreement["name"] = agree
    if fields["company"]:
        card.agreement["company"] = crosscheck.company_agrees(
            fields["company"], crosscheck.domain_brand(fields["email"], fields["website"]))


def _calibrate(card: _Card) -> None:
    result = card.result
    for name, raw in list(result.confidence.items()):
        check = calibration.check_kind(card.agreement.get(name), name in card.agreement)
        result.evidence[name] = (raw, check)
        result.confidence[name] = round(calibration.calibrate(name, raw, check), 3)


def parse_lines(lines: list[TextLine], *, region: str = "CN") -> CardResult:
    """Fields from OCR lines (in reading order)."""
    lines = [TextLine(normalise(line.text), line.conf, line.height, normalise(line.head)) for line in lines]
    lines = [line for line in lines if line.text]
    card = _Card(lines, CardResult(raw_text="\n".join(line.text for line in lines)))
    segments = [seg for i, line in enumerate(lines) for seg in segment_line(line.text, i)]
    _contacts(card, segments, region)
    _continue_address(card)
    _split_name_title(card)
    _take(card, "company", F.company_score, F.repair_company)
    _take(card, "title", F.title_score)
    _take_name(card)
    if card.result.fields["address"] is None:
        _take(card, "address", F.address_score)
        if card.result.fields["address"]:
            card.result.fields["address"] = F.tidy_zh_address(card.result.fields["address"])
    card.result.fields["address"] = places.repair_address(card.result.fields["address"])
    _cross_check(card)
    _calibrate(card)
    return card.result


def parse_text(text: str, *, region: str = "CN") -> CardResult:
    """Fields from plain text, one card line per text line (confidence 1)."""
    return parse_lines([TextLine(line) for line in text.splitlines()], region=region)
