"""One wrong character of a Chinese company name, settled by the domain's pinyin and
Tesseract's per-character alternatives (made-up names and domains)."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.company import choices, fix_company, hypotheses, settle
from ocr.engine import Line, Word


def test_the_brand_says_which_character_is_wrong_and_how_it_sounds():
    # 办盛 + "dingsheng": 盛 spells "sheng", so the character before it should sound "ding".
    assert (2, "ding") in hypotheses("武汉办盛网络科技有限公司", "dingsheng")
    # Nothing to say when no neighbour of a misread spells part of the brand.
    assert hypotheses("武汉办盛网络科技有限公司", "lanhai") == []


def test_a_character_of_that_sound_among_the_alternatives_replaces_the_misread():
    read = "武汉办盛网络科技有限公司"
    words = [("武汉", "武汉武革"), ("办盛", "办盛鼎册石"), ("网络", "网络"), ("科技有限公司", "科技有限公司")]
    assert settle(read, "dingsheng", words) == "武汉鼎盛网络科技有限公司"


def test_without_such_an_alternative_or_with_two_the_company_stays_as_read():
    read = "武汉办盛网络科技有限公司"
    plain = [("武汉", "武汉"), ("办盛", "办盛忆册"), ("网络科技有限公司", "网络科技有限公司")]
    assert settle(read, "dingsheng", plain) is None
    two = [("武汉", "武汉"), ("办盛", "办盛鼎丁"), ("网络科技有限公司", "网络科技有限公司")]
    assert settle(read, "dingsheng", two) is None  # 鼎 and 丁 both sound "ding": ambiguous


def test_a_company_that_agrees_with_its_domain_is_not_read_again(monkeypatch):
    def no_reading(image):
        raise AssertionError("read again")

    monkeypatch.setattr("ocr.company.choices", no_reading)
    lines = [Line((Word("武汉鼎盛网络科技有限公司", 0.9),), 40, 100, 80, 500)]
    image = Image.new("L", (800, 300), 250)
    assert fix_company(image, lines, "武汉鼎盛网络科技有限公司", "li@dingsheng.example.com", None) == lines
    assert fix_company(image, lines, "武汉鼎盛网络科技有限公司", None, None) == lines


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_gives_the_characters_it_weighed_per_word():
    image = Image.new("L", (700, 90), 250)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 32, index=2)
    ImageDraw.Draw(image).text((30, 20), "北京蓝海科技有限公司", fill=20, font=font)
    found = choices(image)
    assert "".join(word for word, _ in found) == "北京蓝海科技有限公司"
    assert all(weighed.startswith(word) for word, weighed in found)
