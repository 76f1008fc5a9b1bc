"""The independent held-out card generator: deterministic, its own content, both splits apart."""

import io

from PIL import Image

from ocr.corpus import generate_corpus
from ocr.heldout import DEV_SEED, FIELDS, HELDOUT_SEED, LAYOUTS, generate_heldout, generate_heldout_cards


def test_same_seed_same_cards_and_the_two_splits_differ():
    first, again = generate_heldout(3, DEV_SEED), generate_heldout(3, DEV_SEED)
    assert [b for b, _ in first] == [b for b, _ in again]
    held = generate_heldout(3, HELDOUT_SEED)
    assert all(a != b for (a, _), (b, _) in zip(first, held))


def test_cards_are_photos_with_truth_for_every_field():
    cards = generate_heldout_cards(12, DEV_SEED)
    assert len({layout for *_, layout in cards}) >= 3 and {layout for *_, layout in cards} <= set(LAYOUTS)
    for jpeg, truth, _ in cards:
        assert Image.open(io.BytesIO(jpeg)).format == "JPEG"
        assert tuple(truth) == FIELDS and truth["name"] and truth["company"]
        assert isinstance(truth["phones"], list)
        assert truth["email"] is None or truth["email"].split("@")[1].split(".", 1)[1].startswith("example.")


def test_no_content_is_shared_with_the_original_corpus():
    original = generate_corpus(6)
    held = generate_heldout(6, DEV_SEED)
    for field in ("name", "company", "email"):
        assert {t[field] for _, t in original}.isdisjoint({t[field] for _, t in held})
