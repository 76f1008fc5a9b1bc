"""Tells this process's card reader (`schedulers.card_reader`) about new cards.

Actions call `card_submitted` after the commit that stored a card; the running
app's reader listens while it runs (`Runtime.card_listeners`). Without a
reader (a process that runs no services) the card waits, pending, for any
server's sweep to pick it up.
"""

from __future__ import annotations

from server import runtime


def card_submitted(card_id: int) -> None:
    app = runtime.active()
    for callback in list(app.card_listeners if app is not None else ()):
        callback(card_id)
