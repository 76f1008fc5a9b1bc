"""Finding the card on the desk, cutting it out square-on, evening out its light."""

import io
import math
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont, ImageStat

from ocr import parse_card
from ocr.card import clean, cut_out, find_card, flatten_light

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_ROWS = ["Emily Carter", "Regional Sales Manager", "M: +86 139 1111 2222", "E: emily@bluesea.example.com"]


def _flat_card(size: tuple[int, int] = (1000, 580)) -> Image.Image:
    card = Image.new("RGB", size, (246, 244, 238))
    draw = ImageDraw.Draw(card)
    for row, text in enumerate(_ROWS):
        draw.text((70, 70 + row * 110), text, fill=(20, 20, 20), font=ImageFont.truetype(_FONT, 44 if row else 64))
    return card


def _on_desk(card: Image.Image, angle: float, keystone: float = 0.0) -> tuple[Image.Image, list[tuple[float, float]]]:
    """The card laid on dark wood, turned by ``angle`` degrees; the photo and the card's corners in it."""
    mx, my = 180, 160
    desk = Image.new("RGB", (card.width + 2 * mx, card.height + 2 * my), (96, 70, 48))
    draw = ImageDraw.Draw(desk)
    for y in range(0, desk.height, 3):  # wood grain, running along the card
        shade = int(18 * math.sin(y / 11))
        draw.line((0, y, desk.width, y + 2), fill=(96 + shade, 70 + shade, 48 + shade))
    desk.paste(card, (mx, my))
    corners = [(mx, my), (mx + card.width, my), (mx + card.width, my + card.height), (mx, my + card.height)]
    cx, cy = desk.width / 2, desk.height / 2
    photo = desk.rotate(angle, Image.Resampling.BICUBIC, fillcolor=(96, 70, 48))
    a = math.radians(angle)

    def turned(p: tuple[float, float]) -> tuple[float, float]:  # where Image.rotate puts a point (counter-clockwise)
        x, y = p[0] - cx, p[1] - cy
        return cx + x * math.cos(a) + y * math.sin(a), cy - x * math.sin(a) + y * math.cos(a)

    corners = [turned(p) for p in corners]
    if keystone:  # the far edge a little narrower: source quad of the output frame
        w, h = photo.size
        d = keystone * w
        photo = photo.transform(photo.size, Image.Transform.QUAD, (-d, 0, 0, h, w, h, w + d, 0),
                                Image.Resampling.BICUBIC, fillcolor=(96, 70, 48))

        def moved(p: tuple[float, float]) -> tuple[float, float]:
            t = p[1] / h  # the source row at output y maps x linearly between the quad's sides
            left, right = -d * (1 - t), w + d * (1 - t)
            return (p[0] - left) / (right - left) * w, p[1]

        corners = [moved(p) for p in corners]
    return photo, corners


def test_the_corners_of_a_tilted_card_on_wood_are_found():
    photo, corners = _on_desk(_flat_card(), 5.0)
    quad = find_card(photo.convert("L"))
    assert quad is not None
    for found, true in zip(quad, corners):
        assert math.dist(found, true) < 0.015 * photo.width, (found, true)


def test_a_keystoned_card_is_found_too():
    photo, corners = _on_desk(_flat_card(), -3.0, keystone=0.03)
    quad = find_card(photo.convert("L"))
    assert quad is not None
    for found, true in zip(quad, corners):
        assert math.dist(found, true) < 0.02 * photo.width, (found, true)


def test_no_quadrilateral_when_the_card_fills_the_photo():
    assert find_card(_flat_card().convert("L")) is None


def test_the_cut_out_card_is_level_and_free_of_desk():
    photo, _ = _on_desk(_flat_card(), 6.0)
    gray = photo.convert("L")
    quad = find_card(gray)
    assert quad is not None
    card = cut_out(gray, quad, long_side=1000)
    assert card.width == 1000 and 560 <= card.height <= 600
    # No wedge of dark desk is left in any corner.
    for box in ((0, 0, 40, 40), (960, 0, 1000, 40), (0, card.height - 40, 40, card.height),
                (960, card.height - 40, 1000, card.height)):
        assert ImageStat.Stat(card.crop(box)).mean[0] > 200, box


def test_uneven_light_is_flattened_and_text_stays_dark():
    card = _flat_card().convert("L")
    lamp = Image.linear_gradient("L").rotate(90).resize(card.size)  # dark on the left, bright on the right
    lit = Image.composite(card, card.point(lambda v: int(v * 0.6)), lamp)
    flat = flatten_light(lit)
    left, right = (ImageStat.Stat(flat.crop(box)).median[0] for box in ((10, 500, 60, 570), (940, 500, 990, 570)))
    assert abs(left - right) < 12, (left, right)
    before = [ImageStat.Stat(lit.crop(box)).median[0] for box in ((10, 500, 60, 570), (940, 500, 990, 570))]
    assert before[1] - before[0] > 60  # the light really was uneven
    # The name's strokes are still ink.
    assert min(flat.crop((70, 70, 500, 140)).getextrema()) < 60


def test_clean_falls_back_to_the_plain_crop_without_a_card_outline():
    page = _flat_card()
    assert clean(page).size[0] >= 1300  # scaled like any photo, nothing cut off


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_tilted_card_under_a_lamp_on_wood_is_read():
    photo, _ = _on_desk(_flat_card(), -5.0, keystone=0.02)
    lamp = Image.radial_gradient("L").resize(photo.size)
    photo = Image.composite(photo.point(lambda v: int(v * 0.7)), photo, lamp)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=80)
    fields = parse_card(out.getvalue()).fields
    assert fields["mobile"] == "+8613911112222"
    assert fields["email"] == "emily@bluesea.example.com"
    assert fields["name"] == "Emily Carter"
