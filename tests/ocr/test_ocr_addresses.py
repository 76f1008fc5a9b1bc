"""The closer second reading of email and web addresses (ocr/addresses.py), with real Tesseract."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr.addresses import _choose, _digits_for_capitals, _replace, _Target, reread_addresses
from ocr.engine import Line, Word, recognise
from ocr.parser import parse_lines
from ocr.pipeline import to_text_lines

tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

_SERIF = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2)
_SANS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)


def _photo(text: str, font: tuple[str, int] = _SERIF, size: int = 26) -> Image.Image:
    """One printed row as a card photo shows it: slightly slanted and soft."""
    image = Image.new("L", (1100, 160), 250)
    ImageDraw.Draw(image).text((40, 50), text, fill=20, font=ImageFont.truetype(font[0], size, index=font[1]))
    return image.rotate(1.5, Image.Resampling.BICUBIC, fillcolor=250).filter(ImageFilter.GaussianBlur(0.8))


def _email(lines: list[Line]) -> str | None:
    return parse_lines(to_text_lines(lines)).fields["email"]


@tesseract
@pytest.mark.parametrize("font", [_SERIF, _SANS])
def test_digits_in_a_handle_read_as_letters_are_put_right(font):
    photo = _photo("邮箱：info12@ruifeng.example.cn", font)
    assert _email(reread_addresses(photo, recognise(photo))) == "info12@ruifeng.example.cn"


@tesseract
@pytest.mark.parametrize("address", ["michael63@starlight.example.com", "paul7@hill.example.net",
                                     "sales11@hill.example.cn"])
def test_a_printed_l_beside_digits_stays_an_l(address):
    photo = _photo(f"E: {address}")
    assert _email(reread_addresses(photo, recognise(photo))) == address


@tesseract
def test_an_address_cut_in_two_by_page_layout_is_read_whole():
    text = "W: https://www.lanhai.example.cn"
    font = ImageFont.truetype(_SANS[0], 30, index=_SANS[1])
    image = Image.new("L", (1100, 160), 250)
    ImageDraw.Draw(image).text((40, 50), text, fill=20, font=font)

    def word(reading: str, start: int, end: int) -> Word:
        box = (40 + round(font.getlength(text[:start])), 55, 40 + round(font.getlength(text[:end])), 95)
        return Word(reading, 0.7, box)

    # A slanted card: page layout cut the host after "lanhai" and misread the rest.
    cut = text.index(".example")
    words = (word("W:", 0, 2), word(text[3:cut], 3, cut),
             word("evamnla", cut + 1, cut + 8), word("an", cut + 9, len(text)))
    line = Line(words, 40, 55, 40, words[-1].box[2] - 40)
    assert parse_lines(to_text_lines([line])).fields["website"] != "www.lanhai.example.cn"
    again = reread_addresses(image, [line])
    assert parse_lines(to_text_lines(again)).fields["website"] == "www.lanhai.example.cn"
    assert "evamnla" not in again[0].text  # the misread tail went with it


@tesseract
def test_lines_without_addresses_are_left_alone():
    photo = _photo("Tel: +86 10 8285 8121", _SANS)
    lines = recognise(photo)
    assert reread_addresses(photo, lines) == lines


def test_the_host_on_the_cards_other_address_outweighs_votes():
    readings = ["helen41@lanhai.example.ccom", "helen41@lanhai.example.com", "helen41@lanhai.example.ccom"]
    assert _choose(readings, "email", set()) == "helen41@lanhai.example.ccom"
    assert _choose(readings, "email", {"lanhai.example.com"}) == "helen41@lanhai.example.com"
    assert _choose(["www.a.example.net", None, "www.b.example.net"], "web", set()) == "www.a.example.net"
    assert _choose([None, None], "email", set()) is None


def test_a_capital_beside_a_digit_is_that_digits_lookalike():
    assert _digits_for_capitals("salesS6@yunfan.example.com") == "sales56@yunfan.example.com"
    assert _digits_for_capitals("infoO7@x.example.com") == "info07@x.example.com"
    assert _digits_for_capitals("Sales@x.example.com") == "Sales@x.example.com"  # no digit beside it


def test_a_label_glued_to_the_address_is_kept():
    def replaced(page: str, value: str) -> str:
        line = Line((Word(page, 0.9, (0, 0, 300, 30)),), 30, 0, 0, 300)
        return _replace(line, _Target(0, 0, 1, "web"), value).text

    assert replaced("W:www.xingchen.exarnple.net", "www.xingchen.example.net") == "W:www.xingchen.example.net"
    assert replaced("网址：www.xingchen.exarnple.net", "www.xingchen.example.net") == "网址：www.xingchen.example.net"
    assert replaced("https://www.xingchen.exarnple.net", "www.xingchen.example.net") == "www.xingchen.example.net"
