"""Tesseract in the process reads as the program does, loading each model once (real Tesseract)."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import tess
from ocr.addresses import CONFIG as ADDRESS_CONFIG
from ocr.addresses import LANG as ADDRESS_LANG
from ocr.engine import CONFIG, LANGS, uncompressed

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
needs_library = pytest.mark.skipif(tess._library() is None, reason="libtesseract not loadable")


def _card() -> Image.Image:
    card = Image.new("L", (1000, 420), 250)
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(_CJK, 34, index=2)
    for k, text in enumerate(["北京蓝海科技有限公司", "王芳 销售经理", "手机: 139 1111 2222", "wang.fang@lanhai.example.cn"]):
        draw.text((60, 40 + k * 90), text, fill=20, font=font)
    return uncompressed(card)


@needs_library
def test_a_page_reading_in_the_process_is_the_programs():
    import pytesseract

    card = _card()
    by_program = pytesseract.image_to_data(card, lang=LANGS, config=CONFIG, output_type=pytesseract.Output.DICT)
    assert tess.image_to_data(card, LANGS, CONFIG) == by_program
    sheet = "--oem 1 --psm 6"
    assert tess.image_to_data(card, "chi_sim", sheet) == pytesseract.image_to_data(
        card, lang="chi_sim", config=sheet, output_type=pytesseract.Output.DICT)


@needs_library
def test_hocr_in_the_process_holds_the_programs_page():
    import pytesseract

    card = _card()
    by_program = pytesseract.image_to_pdf_or_hocr(card, lang=ADDRESS_LANG, config=ADDRESS_CONFIG, extension="hocr")
    page = tess.image_to_hocr(card, ADDRESS_LANG, ADDRESS_CONFIG).decode()
    assert page.strip().startswith("<div class='ocr_page'")
    # All but the page's own title (which names the program's input file) is the same.
    assert page.split("\n", 1)[1] in by_program.decode()
    assert "ocrx_cinfo" in page  # the character boxes the address re-read needs


@needs_library
def test_each_language_is_loaded_once_and_a_readings_variables_hold_for_it_alone():
    card = _card()
    tess.image_to_data(card, LANGS, CONFIG)
    loaded = tess._engine.cache_info().currsize
    digits = tess.image_to_data(card, "eng", "--oem 1 --psm 6 -c tessedit_char_whitelist=0123456789")
    plain = tess.image_to_data(card, "eng", "--oem 1 --psm 6")
    tess.image_to_data(card, LANGS, CONFIG)
    assert tess._engine.cache_info().currsize <= loaded + 1  # at most eng was new, once for both readings
    assert tess._engine(LANGS, 1) == tess._engine(LANGS, 1)
    read = "".join(digits["text"])
    assert read and read.isdigit()
    assert any(c.isalpha() for c in "".join(plain["text"]))  # the whitelist is gone again


def test_a_variable_without_a_known_default_is_refused():
    if tess._library() is None:
        pytest.skip("libtesseract not loadable")
    with pytest.raises(ValueError):
        tess.image_to_data(_card(), "eng", "--oem 1 --psm 6 -c textord_heavy_nr=1")


def test_without_the_library_the_program_reads(monkeypatch):
    import pytesseract

    monkeypatch.setattr(tess, "_library", lambda: None)
    card = _card()
    assert tess.image_to_data(card, "eng", "--oem 1 --psm 6") == pytesseract.image_to_data(
        card, lang="eng", config="--oem 1 --psm 6", output_type=pytesseract.Output.DICT)
    assert b"ocr_page" in tess.image_to_hocr(card, "eng", "--oem 1 --psm 6")
