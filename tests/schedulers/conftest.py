"""Scheduler tests drive the jobs themselves: the app runs without its background services,
so nothing fires behind the test's back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest


@pytest.fixture
async def app(settings: Any) -> AsyncIterator[Any]:
    from fieldline.app import create_app

    application = create_app(settings, run_services=False)
    async with application.router.lifespan_context(application):
        yield application
