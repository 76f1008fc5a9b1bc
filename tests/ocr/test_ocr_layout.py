"""Layout helpers around Tesseract: row merging, column splitting, line direction, stacked re-reads."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Line, Word, _group_lines, merge_rows, read_boxes
from ocr.missed import find_missed_lines, merge_in_reading_order, reread_weak_and_missed
from ocr.orientation import aspect_guess, lines_run_across

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _line(text: str, left: int, top: int, width: int, height: int = 40, conf: float = 0.9) -> Line:
    return Line(tuple(Word(w, conf) for w in text.split()), height, top, left, width)


def test_pieces_of_one_row_are_rejoined_in_reading_order():
    head = _line("E-mail ke", 100, 500, 150)
    other = _line("地址 : 深圳市", 100, 560, 300)
    tail = _line("vin42@lanhai.example.net", 252, 502, 400)  # no visible gap: one word
    merged = merge_rows([head, other, tail])
    assert [line.text for line in merged] == ["E-mail kevin42@lanhai.example.net", "地址 : 深圳市"]
    assert merged[0].width == 552


def test_rows_far_apart_or_of_different_height_stay_separate():
    left_column = _line("广州启明电子有限公司", 100, 300, 500)
    right_column = _line("手机 : +86 137 0892 5527", 800, 302, 400)  # a column gap, not a word space
    tall = _line("总经理 云帆食品", 610, 280, 200, height=100)  # a box spanning two printed rows
    assert len(merge_rows([left_column, right_column])) == 2
    assert len(merge_rows([left_column, tall])) == 2


def _data(words: list[tuple[str, int, int]]) -> dict:
    """A minimal image_to_data dict: one Tesseract line of (text, left, width) words, 40 px tall."""
    n = len(words)
    return {"text": [w[0] for w in words], "conf": [90] * n, "block_num": [1] * n, "par_num": [1] * n,
            "line_num": [1] * n, "left": [w[1] for w in words], "width": [w[2] for w in words],
            "top": [100] * n, "height": [40] * n}


def test_a_tesseract_line_across_two_columns_is_cut():
    lines = _group_lines(_data([("广州启明电子有限公司", 100, 500), ("Tel:", 800, 60), ("0755-26236519", 870, 250)]))
    assert [line.text for line in lines] == ["广州启明电子有限公司", "Tel: 0755-26236519"]
    words = _group_lines(_data([("Regional", 100, 160), ("Sales", 275, 100), ("Manager", 390, 150)]))
    assert [line.text for line in words] == ["Regional Sales Manager"]


def _page(turn: int = 0) -> Image.Image:
    image = Image.new("L", (1000, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(_FONT, 36)
    for row, text in enumerate(["Emily Carter", "Regional Sales Manager", "M: +86 139 1111 2222",
                                "E: emily@bluesea.example.com", "Room 1203, No. 88 Renmin Road"]):
        draw.text((60, 60 + row * 100), text, fill=0, font=font)
    return image.rotate(turn, expand=True) if turn else image


def test_text_line_direction_decides_the_first_orientation_to_read():
    assert lines_run_across(_page()) is True
    assert lines_run_across(_page(180)) is True
    assert lines_run_across(_page(90)) is False
    assert aspect_guess(_page(270)) == 90
    # A blank photo says nothing about direction: the shape decides.
    assert lines_run_across(Image.new("L", (600, 1000), 255)) is None
    assert aspect_guess(Image.new("L", (600, 1000), 255)) == 90


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_boxes_are_read_together_and_each_keeps_its_own_text():
    page = _page()
    boxes = [(60, 160, 520, 205), (60, 360, 640, 405), (60, 60, 300, 105)]
    found = read_boxes(page, boxes, ["", "E: emily@bluesea.example.com", ""])
    texts = [" ".join(line.text for line in lines) for lines in found]
    assert texts[0] == "Regional Sales Manager"
    assert "emily@bluesea.example.com" in texts[1]
    assert texts[2] == "Emily Carter"
    # Geometry comes back in page coordinates.
    assert abs(found[2][0].top - 60) < 20 and abs(found[2][0].left - 60) < 20


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_skipped_heavy_name_is_found_even_with_the_table_in_view():
    card = Image.new("L", (1400, 800), 60)  # dark table around the card
    ImageDraw.Draw(card).polygon([(120, 60), (1330, 110), (1300, 760), (90, 720)], fill=245)  # a skewed card
    draw = ImageDraw.Draw(card)
    draw.text((200, 160), "王芳", fill=0, font=ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 110, index=2))
    draw.text((200, 330), "Regional Sales Manager", fill=0, font=ImageFont.truetype(_FONT, 40))
    read = [_line("Regional Sales Manager", 200, 335, 520, height=40)]
    found = find_missed_lines(card, read)
    assert [line.text for line in found] == ["王芳"]
    assert found[0].top < 330
    # A line read as garbage where the name is printed is looked at again, and replaced.
    garbage = _line("rH a6", 195, 170, 230, height=120, conf=0.2)
    again = find_missed_lines(card, read + [garbage])
    assert [line.text for line in merge_in_reading_order(read + [garbage], again)] == ["王芳", "Regional Sales Manager"]


def test_a_label_and_its_value_across_a_wider_gap_are_one_row():
    label = _line("传真", 100, 400, 90)
    value = _line(": +86-20-35629459", 260, 402, 380)  # 70 px: too far for a word space
    assert [line.text for line in merge_rows([label, value])] == ["传真 : +86-20-35629459"]
    assert len(merge_rows([_line("传真", 100, 400, 90), _line("+86-20-35629459", 260, 402, 380)])) == 2


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_weak_lines_and_unread_ink_are_read_again_in_one_pass():
    card = Image.new("L", (1400, 800), 245)
    draw = ImageDraw.Draw(card)
    draw.text((200, 160), "王芳", fill=0, font=ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 110, index=2))
    draw.text((200, 330), "Regional Sales Manager", fill=0, font=ImageFont.truetype(_FONT, 40))
    draw.text((200, 450), "E: emily@bluesea.example.com", fill=0, font=ImageFont.truetype(_FONT, 40))
    # The name was not read at all, the title was read weakly, the email well.
    weak = _line("Regionai Sa1es Manaqer", 200, 335, 520, height=40, conf=0.5)
    email = _line("E: emily@bluesea.example.com", 200, 455, 620, height=40)
    again = reread_weak_and_missed(card, [weak, email])
    assert [line.text for line in again] == ["王芳", "Regional Sales Manager", "E: emily@bluesea.example.com"]
