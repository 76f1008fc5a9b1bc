"""Files only the server's own user may read: the token key, the SQLite
database, uploads. Folders are made 0700 and files 0600 whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Make `path` (and missing parents) as 0700 folders."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            continue  # another process made it first
        os.chmod(folder, DIR_MODE)  # the umask may have taken bits away; never added


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (0600) so that readers never see half a file."""
    private_dir(path.parent)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(partial, path)


def create_private(path: Path, data: bytes) -> bool:
    """Create `path` (0600) holding `data` unless it exists; False if it did.

    Several server processes may start at once: the file is written whole
    under another name and linked into place, which fails if one is there."""
    private_dir(path.parent)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    try:
        os.link(partial, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(partial)


def touch_private(path: Path) -> None:
    """Create an empty 0600 file at `path` if there is none (the SQLite
    database, before SQLite creates it with the umask's mode); one there
    already that others may read becomes 0600."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        keep_private(path)


def keep_private(path: Path) -> None:
    """Take group and other permissions away from an existing file of ours."""
    try:
        if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
            path.chmod(FILE_MODE)
    except FileNotFoundError:
        pass
