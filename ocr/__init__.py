"""Business-card OCR: image bytes in, contact fields out.

    from ocr import parse_card, ImageError
    result = parse_card(jpeg_bytes, region="CN")
    result.fields["mobile"], result.confidence["mobile"]
"""

from ocr.images import (
    ImageError,
    ImageInfo,
    ImageTooLarge,
    UnreadableImage,
    UnsupportedImage,
    check_image,
    load_oriented,
    normalise_photo,
)
from ocr.parser import FIELD_NAMES, CardResult, parse_text
from ocr.pipeline import parse_card

__all__ = [
    "FIELD_NAMES",
    "CardResult",
    "ImageError",
    "ImageInfo",
    "ImageTooLarge",
    "UnreadableImage",
    "UnsupportedImage",
    "check_image",
    "load_oriented",
    "normalise_photo",
    "parse_card",
    "parse_text",
]
