"""Server bootstrap: the token key and the VAPID key.

The key signs access and refresh tokens. It is `FIELDLINE_SECRET_KEY` when set
(at least 32 bytes; every host of an installation gives the same one), else
a key generated on first start into a file only the server's user may read
(`FIELDLINE_SECRET_KEY_FILE`, by default `.secret_key` in the upload folder,
which every host shares). Installations from before kept it in the
`server_secrets` table: the first start moves it into the file and removes
the row, so tokens already issued stay valid and the database no longer
holds it.

The VAPID private key (Web Push, docs/push.md) is kept the same way:
`FIELDLINE_VAPID_PRIVATE_KEY`, else generated on first start into
`FIELDLINE_VAPID_KEY_FILE` (by default `.vapid_key` beside the token key's
file), 0600.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from server import vapid
from server.models.identity import ServerSecret
from server.private_files import create_private, keep_private
from server.settings import MIN_SECRET_KEY_BYTES, SettingsError
from server.transaction import atomic

log = logging.getLogger(__name__)
TOKEN_KEY_NAME = "token_key"


async def ensure_token_key(configured: str | None, key_file: str) -> str:
    """The configured key, or the one in the key file (made on first start)."""
    if configured:
        return configured
    path = Path(key_file)
    if not path.exists():
        stored = await ServerSecret.get_or_none(name=TOKEN_KEY_NAME)
        key = stored.value if stored is not None else secrets.token_urlsafe(48)
        if create_private(path, key.encode()):
            log.info("token key %s in %s", "moved from the database" if stored else "generated", path)
    key = _read_key(path)
    async with atomic():
        await ServerSecret.filter(name=TOKEN_KEY_NAME).delete()  # the file holds it now
    return key


def _read_key(path: Path) -> str:
    keep_private(path)  # the server's user only
    key = path.read_text().strip()
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise SettingsError(f"the token key in {path} must be at least {MIN_SECRET_KEY_BYTES} bytes")
    return key


def ensure_vapid_key(configured: str | None, key_file: str) -> str:
    """The configured VAPID private key, or the one in its file (made on first start)."""
    if configured:
        return configured
    path = Path(key_file)
    if not path.exists() and create_private(path, vapid.new_private_key().encode()):
        log.info("VAPID key generated in %s", path)
    keep_private(path)
    key = path.read_text().strip()
    try:
        vapid.private_key(key)
    except ValueError:
        raise SettingsError(f"the VAPID key in {path} is not a P-256 private key (32 bytes, base64url)") from None
    return key
