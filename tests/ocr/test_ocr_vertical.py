"""A name and title set top to bottom are found and read as lines (real Tesseract)."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Line, Word
from ocr.vertical import find_vertical_lines, merge_vertical

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _card(vertical: bool) -> tuple[Image.Image, list[Line]]:
    card = Image.new("L", (1400, 800), 250)
    draw = ImageDraw.Draw(card)
    body = ImageFont.truetype(_CJK, 34, index=2)
    rows = ["北京蓝海科技有限公司", "手机: 139 1111 2222", "邮箱: wang.fang@lanhai.example.cn"]
    read = []
    for k, text in enumerate(rows):
        draw.text((80, 420 + k * 80), text, fill=20, font=body)
        width = int(draw.textlength(text, font=body))
        read.append(Line(tuple(Word(w, 0.95) for w in text.split()), 40, 420 + k * 80, 80, width))
    if vertical:
        name = ImageFont.truetype(_CJK, 80, index=2)
        for k, ch in enumerate("王芳"):
            draw.text((1280, 70 + k * 90), ch, fill=20, font=name, anchor="mt")
        for k, ch in enumerate("销售经理"):
            draw.text((1170, 90 + k * 40), ch, fill=20, font=body, anchor="mt")
    return card, read


def test_a_vertical_name_and_title_are_read_as_lines():
    card, read = _card(vertical=True)
    found = find_vertical_lines(card, read)
    texts = sorted(line.text for line in found)
    assert texts == ["王芳", "销售经理"]
    name = next(line for line in found if line.text == "王芳")
    title = next(line for line in found if line.text == "销售经理")
    assert name.height > title.height  # the name keeps its printed size for the parser
    # A single character page layout made of the name's first glyph gives way to the column.
    stray = Line((Word("王", 0.7),), 80, 70, 1240, 80)
    merged = merge_vertical(read + [stray], found)
    assert stray not in merged and len(merged) == len(read) + 2


def test_horizontal_cards_have_no_columns():
    card, read = _card(vertical=False)
    assert find_vertical_lines(card, read) == []
