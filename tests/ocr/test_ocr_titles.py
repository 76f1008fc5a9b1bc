"""A small title under or beside a display-size name is found and read (real Tesseract)."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Line, Word
from ocr.pipeline import to_text_lines
from ocr.parser import parse_lines
from ocr.titles import reread_title

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _card(title_at: str) -> tuple[Image.Image, list[Line]]:
    """A made-up card: a 110 px name, a 34 px title under it or beside it, a company below.

    ``lines`` is what a page reading that lost the title gives: the name's line
    (its box reaching over the title's rows, as page layout draws it) and the company.
    """
    card = Image.new("L", (1400, 800), 250)
    draw = ImageDraw.Draw(card)
    big = ImageFont.truetype(_CJK, 110, index=2)
    body = ImageFont.truetype(_CJK, 34, index=2)
    draw.text((80, 60), "王海涛", fill=20, font=big)
    name_box = draw.textbbox((80, 60), "王海涛", font=big)
    if title_at == "under":
        draw.text((82, name_box[3] + 30), "销售总监", fill=40, font=body)
    elif title_at == "beside":
        draw.text((name_box[2] + 50, name_box[3] - 40), "销售总监", fill=40, font=body)
    draw.text((80, 500), "北京蓝海科技有限公司", fill=20, font=body)
    company_width = int(draw.textlength("北京蓝海科技有限公司", font=body))
    top = name_box[1] - 10
    name = Line((Word("王海涛", 0.93, (name_box[0], name_box[1], name_box[2], name_box[3])),),
                name_box[3] + 10 - top, top, name_box[0], name_box[2] - name_box[0] + (330 if title_at == "beside" else 0))
    return card, [name, Line((Word("北京蓝海科技有限公司", 0.95),), 40, 500, 80, company_width)]


@pytest.mark.parametrize("title_at", ["under", "beside"])
def test_a_title_lost_next_to_a_large_name_is_read_again(title_at):
    card, lines = _card(title_at)
    before = parse_lines(to_text_lines(lines))
    assert before.fields["name"] == "王海涛" and before.fields["title"] is None
    again = reread_title(card, lines, "王海涛")
    after = parse_lines(to_text_lines(again))
    assert after.fields["title"] == "销售总监"
    assert after.fields["name"] == "王海涛" and after.fields["company"] == "北京蓝海科技有限公司"


def test_nothing_is_added_when_no_title_is_printed():
    card, lines = _card("none")
    assert reread_title(card, lines, "王海涛") == lines
