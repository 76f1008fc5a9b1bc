"""Tortoise models, one module per noun.

Every module in this package except `base` is a models module; `server.db`
discovers them, so a new noun needs no registration anywhere else.
"""

from __future__ import annotations

import pkgutil

NON_MODEL_MODULES = frozenset({"base"})


def model_modules() -> list[str]:
    """Dotted names of the modules that hold models, in a stable order."""
    return sorted(
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules(__path__)
        if info.name not in NON_MODEL_MODULES and not info.name.startswith("_")
    )
