"""Notification fixtures: settings with overrides, and a real SMTP server that
can be stopped and started again on the same port."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable, Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@pytest.fixture
def settings(test_env: dict[str, str]) -> Any:
    """The scheduler's jobs wait an hour here: these tests run the digest and
    delivery jobs themselves and count what each run did."""
    from server.settings import load_settings

    return load_settings({**test_env, "FIELDLINE_SCHEDULER_TICK_S": "3600"})


@pytest.fixture
def override_settings(app: Any) -> Iterator[Callable[..., Any]]:
    """`override_settings(email_after_minutes=0, ...)` → the settings now in force."""
    from server.settings import get_settings, use_settings

    original = get_settings()

    def apply(**changes: Any) -> Any:
        changed = get_settings().replace(**changes)
        use_settings(changed)
        return changed

    yield apply
    use_settings(original)


class _Collect:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


class SmtpServer:
    """An aiosmtpd server on a fixed local port; `stop()` makes it refuse connections."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = _Collect()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
