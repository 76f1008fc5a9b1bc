"""Tells this process's card reader (`schedulers.card_reader`) about new cards.

Actions call `card_submitted` after the commit that stored a card; the reader
registers itself while the app runs. Without a reader (a process that runs
no services) the card waits, pending, for any server's sweep to pick it up.
"""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[int], None]] = []


def listen(callback: Callable[[int], None]) -> None:
    _listeners.append(callback)


def unlisten(callback: Callable[[int], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def card_submitted(card_id: int) -> None:
    for callback in list(_listeners):
        callback(card_id)
