"""The languages people read Fieldline in, and the text the server writes for them.

Every text the server writes for a person (notification titles and bodies,
digest emails, generated feed lines) is a key of `MESSAGES` with its wording in
each language of `LANGUAGES`; `text(language, key, **params)` renders one.
"""

from __future__ import annotations

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
