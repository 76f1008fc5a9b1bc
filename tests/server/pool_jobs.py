"""Jobs for worker-pool tests (module level, so 'spawn' workers can import them)."""

from __future__ import annotations

import os
import time


def add(a: int, b: int) -> int:
    return a + b


def sleep_then_add(seconds: float, a: int, b: int) -> int:
    time.sleep(seconds)
    return a + b


def die() -> None:
    os._exit(3)


def refuse(reason: str) -> None:
    raise ValueError(reason)
