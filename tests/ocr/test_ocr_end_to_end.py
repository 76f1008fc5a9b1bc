"""Real Tesseract over a small synthetic corpus: accuracy floors, not perfection.

The floors sit a little below what bench/ocr.py measures on the same cards,
so a regression in any stage (checks, clean-up, orientation, OCR, parser)
shows up here. Tesseract is never mocked.
"""

import io
import shutil
from concurrent.futures import ProcessPoolExecutor

import pytest
from PIL import Image

from ocr import FIELD_NAMES, ImageError, UnsupportedImage, parse_card
from ocr.corpus import QUARTER_TURNS, generate_corpus

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

N_CARDS = 12  # cards 5, 8 and 11 are turned by 90, 180 and 270 degrees
FLOORS = {"mobile": 0.95, "email": 0.85, "phones": 0.9, "fax": 0.9, "company": 0.8, "title": 0.9, "name": 0.8, "website": 0.8}


def _parse(image_bytes: bytes) -> dict:
    return parse_card(image_bytes).fields


@pytest.fixture(scope="module")
def readings():
    corpus = generate_corpus(N_CARDS)
    # Two worker processes, as the server runs it: also proves parse_card pickles.
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_parse, [image for image, _ in corpus]))
    return [(truth, fields) for (_, truth), fields in zip(corpus, results)]


def _accuracy(readings, field: str) -> float:
    """Share of cards whose printed value was read exactly (cards without it skipped)."""
    relevant = [(t, f) for t, f in readings if t[field]]
    return sum(f[field] == t[field] for t, f in relevant) / len(relevant)


def test_corpus_subset_has_turned_cards():
    assert {QUARTER_TURNS[i % 12] for i in range(N_CARDS) if i % 12 in QUARTER_TURNS} == {90, 180, 270}


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_accuracy_floor(readings, field):
    assert _accuracy(readings, field) >= FLOORS[field]


def test_turned_cards_are_read(readings):
    for i in QUARTER_TURNS:
        truth, fields = readings[i]
        assert fields["mobile"] == truth["mobile"], f"card {i} turned {QUARTER_TURNS[i]}"


def test_shape_of_every_result(readings):
    for _, fields in readings:
        assert tuple(fields) == FIELD_NAMES
        assert isinstance(fields["phones"], list)


def test_bad_images_raise_image_errors():
    with pytest.raises(UnsupportedImage):
        parse_card(b"BEGIN:VCARD\nEND:VCARD\n")
    blank = io.BytesIO()
    Image.new("RGB", (600, 350), "white").save(blank, format="PNG")
    assert parse_card(blank.getvalue()).fields["name"] is None
    with pytest.raises(ImageError):
        parse_card(blank.getvalue()[:100])
