"""A short chaos run (bench/chaos.py) on PostgreSQL + a private Redis: a server
process SIGKILLed and restarted and Redis restarted while clients write and
listen and scan cards; afterwards nothing is lost, nothing is doubled,
reminders fire once and every card is read once."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

# The short form for every run of the suite; `make chaos` runs the long one.
CHAOS_SECONDS = float(os.environ.get("FIELDLINE_CHAOS_SECONDS", "12"))


def _chaos_module():
    path = Path(__file__).resolve().parents[2] / "bench" / "chaos.py"
    spec = importlib.util.spec_from_file_location("fieldline_bench_chaos", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


async def test_a_killed_process_and_a_restarted_redis_lose_and_double_nothing(backend):
    if backend != "postgres":
        pytest.skip("several processes need PostgreSQL and Redis")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    chaos = _chaos_module()
    result = await chaos.run(POSTGRES_URL, CHAOS_SECONDS, users=4, log=lambda *_: None)
    figures = result["figures"]
    assert not result["problems"], result
    assert figures["requests_answered"] > 20 and figures["events_logged"] > 20, figures
    assert figures["reminders_fired"] == figures["reminders_due"] > 0
    assert not result["unanswered"], result["unanswered"]
