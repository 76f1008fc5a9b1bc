"""A name printed large in a display face, lost by the page reading, is read again (real Tesseract)."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr.engine import Line, Word
from ocr.names import candidate_lines, choose, complete_name, cut_short, name_in, reread_name

_UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def test_a_reading_holds_a_name_after_a_known_surname():
    assert name_in("熊晓东") == ("熊晓东", "")
    assert name_in("图白晓燕") == ("白晓燕", "")  # a logo character before the name
    assert name_in("雷永刚行政主管") == ("雷永刚", "行政主管")
    assert name_in("ARB AR") is None
    assert name_in("天成化工") is None  # no surname at its start
    assert name_in("白晓否") is None  # a given-name character no name uses


def test_the_email_settles_the_vote_and_one_weak_reading_does_not_count():
    readings = [("白晓杰", 0.3), ("白晓燕", 0.25)]
    assert choose(readings, "xiaoyan.bai@runze.example.cn") == ("白晓燕", "", 0.8)
    assert choose([("白晓杰", 0.2)], None) is None
    assert choose([("熊晓东", 0.3), ("熊晓东", 0.3)], None) == ("熊晓东", "", 0.3)


def test_only_large_lines_that_are_no_contact_company_or_clean_title_are_candidates():
    def line(text: str, height: int, conf: float = 0.9) -> Line:
        return Line((Word(text, conf),), height, 0, 10, 300)
    lines = [line("ARB AR", 80, 0.5), line("武汉海纳能源股份有限公司", 52), line("大客户经理", 44),
             line("手机 157 2929 7291", 40), line("xiongx@haina.example.com", 40), line("经理", 40)]
    assert candidate_lines(lines) == [0]


def _card() -> tuple[Image.Image, list[Line]]:
    card = Image.new("L", (1400, 800), 250)
    draw = ImageDraw.Draw(card)
    display = ImageFont.truetype(_UKAI, 90)
    draw.text((120, 120), "白晓燕", fill=25, font=display)
    name_box = draw.textbbox((120, 120), "白晓燕", font=display)
    body = ImageFont.truetype(_CJK, 34, index=2)
    read = [Line((Word("ARB", 0.5), Word("AR", 0.6)), name_box[3] - name_box[1], name_box[1], name_box[0],
                 name_box[2] - name_box[0])]
    for k, text in enumerate(["大客户经理", "武汉海纳能源股份有限公司", "手机: 157 2929 7291"]):
        draw.text((120, 330 + k * 80), text, fill=20, font=body)
        read.append(Line((Word(text, 0.93),), 40, 330 + k * 80, 120, int(draw.textlength(text, font=body))))
    return card.filter(ImageFilter.GaussianBlur(1.2)), read  # a photo's softness


@needs_tesseract
def test_a_display_face_name_read_as_garbage_is_read_again():
    card, read = _card()
    again = reread_name(card, read, "xiaoyan.bai@haina.example.com")
    assert again[0].text == "白晓燕"
    assert again[1:] == read[1:]


def test_a_name_is_cut_short_when_the_email_spells_it_with_more_after_it():
    assert cut_short("彭海", "penghaiyan@xinyuan.example.net")
    assert cut_short("翟亚", "yanan62@yuanhang.example.com")  # the given name, one syllable longer
    assert not cut_short("彭海燕", "penghaiyan@xinyuan.example.net")  # the handle spells it whole
    assert not cut_short("彭海", "info@xinyuan.example.net")
    assert not cut_short("彭海", "penghai@xinyuan.example.net")
    assert not cut_short("Grace Walker", "gracewalkerx@example.com")
    assert not cut_short("彭海", None)


@needs_tesseract
def test_a_name_cut_short_is_completed_from_its_line_read_one_character_wider():
    card = Image.new("L", (1400, 800), 250)
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(_CJK, 60, index=2)
    draw.text((80, 100), "彭海燕", fill=20, font=font)
    # The page box stopped after the second character.
    _, top, _, bottom = draw.textbbox((80, 100), "彭海燕", font=font)
    width = int(draw.textlength("彭海", font=font)) + 4
    lines = [Line((Word("彭海", 0.8),), bottom - top + 6, top - 3, 80, width)]
    done = complete_name(card, lines, "彭海", "penghaiyan@xinyuan.example.net")
    assert [line.text for line in done] == ["彭海燕"]
    # The handle does not spell the longer reading: nothing changes.
    assert complete_name(card, lines, "彭海", "penghaimei@xinyuan.example.net") == lines
