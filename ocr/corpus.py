"""Deterministic synthetic business-card photos with ground truth.

``generate_corpus(n, seed)`` renders Chinese, English and bilingual cards in
several layouts, then degrades them like a phone photo (placement on a
table, skew, slight perspective, blur, noise, JPEG compression, and for a few
cards a 90/180/270 degree turn). The same seed always yields the same bytes.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr import corpus_data as D

CARD_W, CARD_H = 1050, 600  # 90 x 54 mm at ~300 dpi
FIELDS = ("name", "title", "company", "mobile", "phones", "fax", "email", "website", "address")
# Card i gets this quarter turn (degrees counter-clockwise) when i % 12 matches.
QUARTER_TURNS = {5: 90, 8: 180, 11: 270}

_NOTO = "/usr/share/fonts/opentype/noto/"
_FONTS = {
    "sans": (_NOTO + "NotoSansCJK-Regular.ttc", 2),
    "sans_bold": (_NOTO + "NotoSansCJK-Bold.ttc", 2),
    "serif": (_NOTO + "NotoSerifCJK-Regular.ttc", 2),
    "dejavu": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    "dejavu_bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0),
}


@lru_cache(maxsize=256)
def _font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = _FONTS[kind]
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:  # Serif CJK is optional on some systems
        return ImageFont.truetype(_FONTS["sans"][0], size, index=2)


@dataclass
class CardSpec:
    """What to print on a card and what a perfect reader would extract."""

    lang: str
    head: list[tuple[str, str]] = field(default_factory=list)  # (text, role)
    contacts: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)  # CardResult.fields as a perfect reader fills them


# ---------------------------------------------------------------- content


def _company(rng: random.Random, lang: str) -> tuple[str, str, str]:
    """(chinese, english, domain-slug) company names."""
    city, city_en, _ = rng.choice(D.CITIES)
    brand, pinyin, brand_en = rng.choice(D.BRANDS)
    industry, industry_en = rng.choice(D.INDUSTRIES)
    zh = (city if rng.random() < 0.6 else "") + brand + industry + rng.choice(D.ZH_SUFFIXES)
    en = f"{brand_en} {industry_en} {rng.choice(D.EN_SUFFIXES)}"
    if lang == "en" and rng.random() < 0.3:
        en = f"{city_en} {en}"
    return zh, en, (pinyin if lang != "en" else brand_en).lower()


def _address(rng: random.Random, city: tuple[str, str, str]) -> tuple[str, str]:
    zh_city, en_city, _ = city
    district, district_en = rng.choice(D.DISTRICTS[zh_city])
    road, road_en = rng.choice(D.ROADS)
    number, room = rng.randint(1, 999), rng.randint(101, 2808)
    zh = f"{zh_city}市{district}{road}{number}号{room}室"
    en = f"Room {room}, No. {number} {road_en}, {district_en}, {en_city}"
    return zh, en


def _fmt_mobile(rng: random.Random, digits: str) -> str:
    a, b, c = digits[:3], digits[3:7], digits[7:]
    return rng.choice([f"{a} {b} {c}", f"{a}-{b}-{c}", digits, f"+86 {a} {b} {c}", f"+86-{digits}"])


def _fmt_landline(rng: random.Random, number: str) -> str:
    area, sub = number.split("-")
    half = len(sub) // 2
    return rng.choice([number, f"({area}) {sub[:half]} {sub[half:]}", f"+86 {area[1:]} {sub[:half]} {sub[half:]}",
                       f"+86-{area[1:]}-{sub}", f"{area} {sub}"])


_LABELS = {
    "zh": {"mobile": ["手机"], "tel": ["电话"], "fax": ["传真"], "email": ["邮箱"], "web": ["网址"], "addr": ["地址"]},
    "en": {"mobile": ["Mobile", "M", "Mob"], "tel": ["Tel", "T", "Phone"], "fax": ["Fax", "F"],
           "email": ["Email", "E-mail", "E"], "web": ["Web", "W", "Website"], "addr": ["Add", "Address"]},
    "bi": {"mobile": ["手机", "手机 Mobile", "M"], "tel": ["电话", "电话 Tel", "T"], "fax": ["传真", "传真 Fax", "F"],
           "email": ["邮箱", "E-mail", "Email"], "web": ["网址", "Web"], "addr": ["地址", "地址 Add"]},
}


def _label(rng: random.Random, lang: str, key: str, text: str) -> str:
    label = rng.choice(_LABELS[lang][key])
    sep = rng.choice(["：", ": "]) if lang != "en" and not label.isascii() else rng.choice([": ", ": ", " "])
    return f"{label}{sep}{text}"


def _people(rng: random.Random, lang: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(name truth, title truth, head lines) for the person."""
    zh_name, en_name = D.zh_name(rng), D.en_name(rng)
    title_zh, title_en = rng.choice(D.TITLES)
    if lang == "zh":
        return zh_name, title_zh, [(zh_name, "name"), (title_zh, "title")]
    if lang == "en":
        return en_name, title_en, [(en_name, "name"), (title_en, "title")]
    lines = [(zh_name, "name")]
    if rng.random() < 0.5:
        lines.append((f"{title_zh} {title_en}", "title"))
    else:
        lines += [(title_zh, "title"), (title_en, "title")]
    return zh_name, title_zh, lines


def _contacts(rng: random.Random, lang: str, slug: str) -> tuple[list[str], dict[str, Any], tuple[str, str, str]]:
    """Contact lines (labelled, in random order) and their truth."""
    city = rng.choice(D.CITIES)
    truth: dict[str, Any] = {"mobile": None, "phones": [], "fax": None, "email": None, "website": None}
    lines: list[str] = []
    if rng.random() < 0.95:
        mobile = D.mobile_number(rng)
        truth["mobile"] = D.e164(mobile)
        lines.append(_label(rng, lang, "mobile", _fmt_mobile(rng, mobile)))
    for _ in range(1 if rng.random() < 0.85 else 2 if rng.random() < 0.5 else 0):
        tel = D.landline_number(rng, city[2])
        truth["phones"].append(D.e164(tel))
        lines.append(_label(rng, lang, "tel", _fmt_landline(rng, tel)))
    if rng.random() < 0.6:
        fax = D.landline_number(rng, city[2])
        truth["fax"] = D.e164(fax)
        lines.append(_label(rng, lang, "fax", _fmt_landline(rng, fax)))
    domain = f"{slug}.{rng.choice(D.DOMAINS)}"
    if rng.random() < 0.92:
        handle = rng.choice([rng.choice(D.EN_FIRST).lower(), "sales", "info"]) + rng.choice(["", str(rng.randint(1, 99))])
        truth["email"] = f"{handle}@{domain}"
        text = truth["email"]
        lines.append(_label(rng, lang, "email", text) if rng.random() < 0.8 else text)
    if rng.random() < 0.6:
        truth["website"] = f"www.{domain}"
        text = rng.choice(["", "http://", "https://"]) + truth["website"]
        lines.append(_label(rng, lang, "web", text) if rng.random() < 0.7 else text)
    return lines, truth, city


def card_spec(rng: random.Random, lang: str) -> CardSpec:
    """Random content for one card in ``lang`` ("zh", "en" or "bi")."""
    name, title, head = _people(rng, lang)
    company_zh, company_en, slug = _company(rng, lang)
    contacts, truth, city = _contacts(rng, lang, slug)
    address_zh, address_en = _address(rng, city)
    has_address = rng.random() < 0.85
    company = company_en if lang == "en" else company_zh
    head.insert(rng.choice([0, len(head)]), (company, "company"))
    if lang == "bi":
        head.insert(head.index((company, "company")) + 1, (company_en, "company_en"))
    address = address_en if lang == "en" else address_zh
    if has_address:
        contacts.append(_label(rng, lang, "addr", address))
    truth.update(name=name, title=title, company=company, address=address if has_address else None)
    return CardSpec(lang, head, contacts, {k: truth[k] for k in FIELDS})


# -------------------------------------------------------------- rendering

_LIGHT_BGS = [(255, 255, 255), (250, 247, 238), (236, 243, 250), (242, 242, 242), (247, 236, 226)]
_DARK_INKS = [(0, 0, 0), (28, 40, 92), (55, 55, 55), (110, 20, 25), (20, 70, 50)]
_ROLE_SCALE = {"name": 2.2, "title": 1.15, "company": 1.3, "company_en": 1.0}


@dataclass
class Style:
    bg: tuple[int, int, int]
    ink: tuple[int, int, int]
    accent: tuple[int, int, int]
    head_font: str
    body_font: str
    body_size: int
    layout: str


def _style(rng: random.Random, lang: str) -> Style:
    dark = rng.random() < 0.1
    bg = (28, 36, 58) if dark else rng.choice(_LIGHT_BGS)
    ink = rng.choice([(245, 245, 245), (232, 205, 130)]) if dark else rng.choice(_DARK_INKS)
    fonts = ["sans", "sans_bold", "serif"] + (["dejavu", "dejavu_bold"] if lang == "en" else [])
    return Style(bg, ink, rng.choice(_DARK_INKS[1:]), rng.choice(fonts),
                 rng.choice(["sans", "serif"] + (["dejavu"] if lang == "en" else [])),
                 rng.randint(22, 30), rng.choice(["left", "center", "split", "band"]))


def _fit(text_lines: list[str], kind: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """Largest font <= size whose widest line fits in ``width`` pixels."""
    while size > 12:
        font = _font(kind, size)
        if max(font.getlength(t) for t in text_lines) <= width:
            return font
        size -= 1
    return _font(kind, size)


def _draw_block(draw: ImageDraw.ImageDraw, lines: list[tuple[str, ImageFont.FreeTypeFont]],
                x: int, y: int, align: str, fill: tuple[int, int, int]) -> int:
    """Draw lines top-down from (x, y); return the y below the block."""
    for text, font in lines:
        width = font.getlength(text)
        left = x - width / 2 if align == "center" else x
        draw.text((left, y), text, font=font, fill=fill)
        y += int(font.size * 1.45)
    return y


def _head_lines(spec: CardSpec, style: Style, width: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    out = []
    for text, role in spec.head:
        kind = style.head_font if role == "name" else style.body_font
        out.append((text, _fit([text], kind, int(style.body_size * _ROLE_SCALE[role]), width)))
    return out


def _block_height(lines: list[tuple[str, ImageFont.FreeTypeFont]]) -> int:
    return sum(int(font.size * 1.45) for _, font in lines)


def _shrink_to_fit(spec: CardSpec, style: Style, head_w: int, contact_w: int,
                   stacked: bool) -> tuple[list[tuple[str, ImageFont.FreeTypeFont]], list[tuple[str, ImageFont.FreeTypeFont]]]:
    """Head and contact lines with fonts small enough for the card's height."""
    room = CARD_H - 2 * 56 + 20
    size = style.body_size
    while True:
        head_style = Style(**{**style.__dict__, "body_size": size})
        head = _head_lines(spec, head_style, head_w)
        body = _fit(spec.contacts, style.body_font, size, contact_w)
        contacts = [(t, body) for t in spec.contacts]
        if stacked:
            needed = _block_height(head) + _block_height(contacts) + 10
        else:
            needed = max(_block_height(head), _block_height(contacts))
        if needed <= room or size <= 16:
            return head, contacts
        size -= 1


def _fits_half(spec: CardSpec, style: Style) -> bool:
    """Whether contacts stay legible (>= 20 px) in half the card's width."""
    return _fit(spec.contacts, style.body_font, style.body_size, CARD_W // 2 - 20).size >= 20


def render_card(spec: CardSpec, style: Style) -> Image.Image:
    """Draw the flat card (CARD_W x CARD_H) according to ``style.layout``."""
    im = Image.new("RGB", (CARD_W, CARD_H), style.bg)
    draw = ImageDraw.Draw(im)
    m = 56
    split = style.layout == "split" and _fits_half(spec, style)
    head_w = CARD_W // 2 - m if split else CARD_W - 2 * m
    contact_w = CARD_W // 2 - 20 if split else CARD_W - 2 * m
    head, contacts = _shrink_to_fit(spec, style, head_w, contact_w, stacked=not split)
    contact_h = len(contacts) * int(contacts[0][1].size * 1.45)
    if style.layout == "band":
        draw.rectangle((0, 0, CARD_W, 14), fill=style.accent)
    if style.layout == "center":
        y = _draw_block(draw, head, CARD_W // 2, m - 10, "center", style.ink)
        _draw_block(draw, contacts, CARD_W // 2, max(y + 10, CARD_H - m - contact_h), "center", style.ink)
    elif split:
        _draw_block(draw, head, m, m, "left", style.ink)
        _draw_block(draw, contacts, CARD_W // 2, max(m, (CARD_H - contact_h) // 2), "left", style.ink)
    else:
        y = _draw_block(draw, head, m, m - 10 + (14 if style.layout == "band" else 0), "left", style.ink)
        _draw_block(draw, contacts, m, max(y + 10, CARD_H - m - contact_h), "left", style.ink)
    return im


# ------------------------------------------------------------ photo look


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    # Random bytes from our own generator keep the corpus deterministic.
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")


def _on_table(rng: random.Random, card: Image.Image) -> tuple[Image.Image, tuple[int, int, int]]:
    """Scale the card like a camera would and lay it on a plain surface."""
    scale = rng.uniform(0.85, 1.45)
    card = card.resize((int(CARD_W * scale), int(CARD_H * scale)), Image.Resampling.LANCZOS)
    table = rng.choice([(120, 100, 80), (90, 90, 95), (170, 160, 150), (60, 65, 70), (200, 195, 190)])
    mx, my = int(card.width * rng.uniform(0.04, 0.12)), int(card.height * rng.uniform(0.05, 0.15))
    photo = Image.new("RGB", (card.width + 2 * mx, card.height + 2 * my), table)
    photo.paste(card, (mx, my))
    return photo, table


def _perspective(rng: random.Random, im: Image.Image, fill: tuple[int, int, int]) -> Image.Image:
    """Slight keystone: map a jittered quadrilateral onto the full frame."""
    w, h = im.size

    def j(span: float) -> float:
        return rng.uniform(-0.025, 0.025) * span

    quad = (j(w), j(h), j(w), h + j(h), w + j(w), h + j(h), w + j(w), j(h))
    return im.transform(im.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=fill)


def photograph(rng: random.Random, card: Image.Image, quarter_turn: int = 0) -> bytes:
    """Degrade a flat card into JPEG bytes that look like a phone photo."""
    photo, table = _on_table(rng, card)
    photo = photo.rotate(rng.uniform(-4.0, 4.0), Image.Resampling.BICUBIC, expand=True, fillcolor=table)
    if rng.random() < 0.6:
        photo = _perspective(rng, photo, table)
    shade = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize(photo.size)
    photo = Image.composite(photo, photo.point(lambda v: int(v * 0.82)), shade.point(lambda v: 128 + v // 2))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 1.1)))
    photo = Image.blend(photo, _noise(rng, photo.size), rng.uniform(0.03, 0.09))
    if quarter_turn:
        photo = photo.rotate(quarter_turn, expand=True)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=rng.randint(55, 92))
    return out.getvalue()


def generate_corpus(n: int = 60, seed: int = 20240611) -> list[tuple[bytes, dict[str, Any]]]:
    """``n`` (jpeg_bytes, truth) pairs; identical for identical arguments.

    Card i is Chinese, English or bilingual in rotation, and cards with
    i % 12 in QUARTER_TURNS are turned by 90, 180 or 270 degrees.
    """
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        lang = ("zh", "en", "bi")[i % 3]
        spec = card_spec(rng, lang)
        card = render_card(spec, _style(rng, lang))
        out.append((photograph(rng, card, QUARTER_TURNS.get(i % 12, 0)), spec.truth))
    return out
