"""The job a worker process runs for one card: read the stored photo, parse it.

Kept apart from the server's async code: a 'spawn' worker imports this
module and `ocr`, nothing else of ours.
"""

from __future__ import annotations

from ocr import CardResult, parse_card


def read_card_file(path: str, region: str) -> CardResult:
    """Parse the card photo at `path`; raises `ocr.ImageError` for unreadable images."""
    with open(path, "rb") as image:
        data = image.read()
    return parse_card(data, region=region)
