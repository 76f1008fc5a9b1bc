"""Decoding uploaded images without letting an upload cost the server its memory.

A 5 KB PNG may claim 6300 × 6300 pixels: decoded, 119 MB, and the copies a
re-encode makes triple it. Every decode of an upload (photos, card checks)
runs through `bounded`, which

- lets at most `MAX_DECODES` run at once in this process (the rest wait), so
  sixteen such uploads at once cost what two do;
- gives the freed memory back to the system afterwards: glibc keeps freed
  blocks of large decodes in its arenas (the server stayed at 2 GB after a
  burst), and `malloc_trim(0)` returns them.

Pixel limits per kind of image are checked from the header before decoding
(`ocr.images`), and photos are decoded at reduced size where the format allows
it (JPEG `draft`), see `ocr.images.normalise_photo`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from typing import Any, TypeVar

MAX_DECODES = 2
# Two threads of their own: at most two decodes at once, and two malloc arenas
# (each thread that ever decoded would otherwise keep one).
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=MAX_DECODES, thread_name_prefix="decode")
T = TypeVar("T")
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 1024 * 1024


def _glibc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to tune
        return None


_libc = _glibc()
if _libc is not None:
    # Pillow allocates decoded pixels in 16 MB blocks. glibc raises its mmap
    # threshold after the first such block is freed, and from then on keeps
    # them in its heaps, where they stay after the image is gone. A fixed
    # threshold keeps every block of 1 MB or more in its own mapping, which
    # goes back to the system the moment it is freed.
    _libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def _run(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return work(*args, **kwargs)
    finally:
        if _libc is not None:
            _libc.malloc_trim(0)  # whatever the heaps still hold from this decode


async def bounded(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an image decode on the decode threads, at most `MAX_DECODES` at once per process."""
    loop = asyncio.get_running_loop()
    # The thread runs in this task's context (the app's runtime), as asyncio.to_thread would.
    call = functools.partial(contextvars.copy_context().run, _run, work, *args, **kwargs)
    return await loop.run_in_executor(_pool, call)
