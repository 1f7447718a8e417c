"""Give the memory of large responses back to the system (issue 23).

A list of 20,000 appointments is a 12 MB JSON text (twice: the ``str`` from the database and
the encoded body), built in one of the thread pool's threads. glibc's allocator serves such
blocks with ``mmap`` and returns them on free, but only below its *dynamic* threshold: after
the first large block is freed, the threshold rises to that block's size (up to 32 MB), and
every later 12 MB block comes from the heap of the thread's arena and stays there after use.
With up to 8 × cores arenas (one per busy thread) a worker kept 330–390 MB after a few lists.

A fixed threshold keeps large blocks on ``mmap`` (freed at once) and switches the dynamic rise
off; fewer arenas bound what small-object fragmentation can hold on to. Only glibc (Linux) is
tuned; elsewhere (Windows, macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 256 * 1024
ARENA_MAX = 2

_tuned = False


def tune_allocator() -> bool:
    """Fix the mmap threshold and cap the arenas of this process (once); True if tuned."""
    global _tuned
    if _tuned or not sys.platform.startswith("linux"):
        return _tuned
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, a static build): leave it
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(M_ARENA_MAX, ARENA_MAX)
    )
    if not ok:
        log.debug("mallopt refused the allocator settings")
    _tuned = ok
    return ok
