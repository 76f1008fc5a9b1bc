"""Line art behind the contact rows: found at the card's edges, its band read again cleared of it."""

import math
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Line, Word, recognise
from ocr.pattern import clear_line_art, line_art_band, reread_under_line_art

_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
W, H = 1400, 800
ROWS = ["北京蓝海科技有限公司", "手机: 139 1111 2222", "邮箱: wang.fang@lanhai.example.cn", "地址: 北京市朝阳区建国路88号"]


def _card(art: str = "wave") -> Image.Image:
    card = Image.new("L", (W, H), 245)
    draw = ImageDraw.Draw(card)
    if art == "wave":  # a tint, thin, printed to both side edges behind the contact rows
        for k in range(6):
            pts = [(x, H - 60 - k * 20 + 25 * math.sin(x / 95 + k)) for x in range(0, W + 10, 10)]
            draw.line(pts, fill=150, width=2)
    elif art == "corner":  # a solid corner: one thick run at one edge
        draw.polygon([(W, 0), (W - 360, 0), (W, 280)], fill=90)
    elif art == "rule":  # a rule inside the margins
        draw.line((70, 380, W - 70, 380), fill=60, width=3)
    font = ImageFont.truetype(_CJK, 40, index=2)
    for k, text in enumerate(ROWS):
        draw.text((80, 500 + k * 66), text, fill=25, font=font)
    return card


def test_line_art_bleeding_off_both_side_edges_is_found_with_its_band():
    band = line_art_band(_card("wave"))
    assert band is not None
    top, bottom = band
    assert top < H - 60 - 5 * 20 - 25 and bottom > H - 60 + 25  # every line of the wave is inside


@pytest.mark.parametrize("art", ["none", "corner", "rule"])
def test_cards_without_line_art_at_their_edges_have_no_band(art):
    assert line_art_band(_card(art)) is None


def test_clearing_lifts_the_tint_and_keeps_the_type():
    card = _card("wave")
    top, bottom = line_art_band(card) or (0, H)
    cleared = clear_line_art(card.crop((0, top, W, bottom)))
    x = W - 40
    assert cleared.getpixel((x, round(H - 60 + 25 * math.sin(x / 95)) - top)) == 255  # the art alone
    assert min(cleared.crop((80, 632 - top, 600, 672 - top)).get_flattened_data()) < 60  # the email row's type


def _line(text: str, conf: float, top: int, left: int = 80, width: int = 600) -> Line:
    return Line(tuple(Word(w, conf) for w in text.split()), 40, top, left, width)


def test_the_second_reading_replaces_only_what_it_read_better():
    first = [_line("北京蓝海科技有限公司", 0.95, 500),
             _line("(+86) 139 1111 222", 0.93, 566),  # the art cut the row short
             _line("AW ee", 0.30, 632),  # garbage where the email row is
             _line("地址: 北京市朝阳区建国路88号", 0.96, 698)]
    card = _card("wave")
    band_top, _ = line_art_band(card) or (0, 0)

    def read(band: Image.Image) -> list[Line]:
        assert band.height < H  # only the band is read
        return [_line("北京蓝海科技有限公司", 0.90, 500 - band_top),  # less sure: the first stays
                _line("手机: (+86) 139 1111 2222", 0.91, 566 - band_top),  # as sure, longer: the row whole
                _line("邮箱: wang.fang@lanhai.example.cn", 0.85, 632 - band_top),
                _line("一一一", 0.92, 760 - band_top),  # the art's remains, not text
                _line("地址: 北京市朝阳区建国路88号", 0.70, 698 - band_top)]

    texts = [line.text for line in reread_under_line_art(card, first, read)]
    assert texts == ["北京蓝海科技有限公司", "手机: (+86) 139 1111 2222",
                     "邮箱: wang.fang@lanhai.example.cn", "地址: 北京市朝阳区建国路88号"]


def test_a_card_without_line_art_is_not_read_again():
    def read(band: Image.Image) -> list[Line]:
        raise AssertionError("no second reading without line art")

    first = [_line("北京蓝海科技有限公司", 0.95, 500)]
    assert reread_under_line_art(_card("none"), first, read) == first


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_the_band_cleared_of_the_art_is_read_by_tesseract():
    card = _card("wave")
    lines = reread_under_line_art(card, [], recognise)
    text = " ".join(line.text for line in lines).replace(" ", "")
    assert "13911112222" in text
