"""File storage of the processor: atomic writes, run directories, locks (spec 06 §5)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

log = logging.getLogger("ci_agent.storage")

FILE_MODE = 0o640
DIR_MODE = 0o750
LOCK_FILE = ".processor.lock"
TMP_MAX_AGE_S = 3600.0


class StorageError(Exception):
    """A write or path-safety failure; answered with 500 ``storage_error``."""


def dump_json(data: Any) -> bytes:
    """2-space indentation, documented key order, non-ASCII kept, one trailing newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _fsync_dir(directory: Path) -> None:
    # Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write via ``.<name>.<random>.tmp`` + fsync + ``os.replace`` so readers (and a crash)
    only ever see the old or the new complete file."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def append_line(path: Path, line: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _fsync_dir(path.parent)


def check_logs_dir(root: Path) -> str | None:
    """Create the logs root (mode 0750) and prove it is writable; returns a problem or None."""
    try:
        root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if not root.is_dir():
            return "PRAXI_CI_LOGS_DIR: is not a directory"
        fd, probe = tempfile.mkstemp(dir=root, prefix=".write-probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return "PRAXI_CI_LOGS_DIR: cannot be created or is not writable"
    return None


class ProcessorLock:
    """Exclusive OS lock on ``<root>/.processor.lock``: one processor per logs root.

    ``acquire`` makes a single attempt and never waits. The lock file stays in place after
    ``release`` (as before ``filelock``), and the lock belongs to the process, not a thread.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_FILE
        self._lock = FileLock(
            self.path, blocking=False, thread_local=False, preserve_lock_file=True
        )

    def acquire(self) -> bool:
        try:
            self._lock.acquire()
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)


class RunLocks:
    """One ``asyncio.Lock`` per run id; entries disappear when nobody holds or waits."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, run_id: str, timeout_s: float) -> Any:
        lock, users = self._locks.get(run_id, (asyncio.Lock(), 0))
        self._locks[run_id] = (lock, users + 1)
        try:
            try:
                async with asyncio.timeout(timeout_s):
                    await lock.acquire()
            except TimeoutError:
                raise LockTimeout from None
            try:
                yield
            finally:
                lock.release()
        finally:
            current, count = self._locks[run_id]
            if count <= 1:
                del self._locks[run_id]
            else:
                self._locks[run_id] = (current, count - 1)


class LockTimeout(Exception):
    """The per-run lock was not obtained in time (→ 503 busy)."""


class Store:
    """The logs root and the run directories below it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run_dir(self, run_id: str, *, create: bool) -> Path:
        """The run directory; refuses symlinks and anything not a direct child of the root."""
        root = self.root.resolve()
        candidate = self.root / run_id
        if candidate.is_symlink():
            log.warning("security: run directory is a symbolic link; refusing to use it")
            raise StorageError("run directory is a symlink")
        if create:
            try:
                candidate.mkdir(mode=DIR_MODE, exist_ok=True)
            except OSError as exc:
                raise StorageError("cannot create run directory") from exc
        resolved = candidate.resolve()
        if resolved.parent != root or resolved.name != run_id:
            log.warning("security: run directory resolves outside the logs root; refusing")
            raise StorageError("run directory outside root")
        return candidate

    def safe_file(self, run_dir: Path, name: str) -> Path:
        path = run_dir / name
        if path.is_symlink():
            log.warning("security: stored file is a symbolic link; refusing to use it")
            raise StorageError("file is a symlink")
        return path

    def cleanup_temp_files(self, max_age_s: float = TMP_MAX_AGE_S) -> int:
        """Remove ``*.tmp`` leftovers of crashed writes (older than an hour)."""
        removed = 0
        now = time.time()
        for pattern in ("*/.*.tmp", ".*.tmp"):
            for path in self.root.glob(pattern):
                with contextlib.suppress(OSError):
                    if not path.is_symlink() and now - path.stat().st_mtime > max_age_s:
                        path.unlink()
                        removed += 1
        return removed

    def apply_retention(self, days: int) -> int:
        """Delete run directories whose ``analysis.json`` is older than ``days`` days."""
        if days <= 0:
            return 0
        cutoff = time.time() - days * 86400
        removed = 0
        for run_dir in self.iter_run_dirs():
            analysis = run_dir / "analysis.json"
            with contextlib.suppress(OSError):
                if analysis.is_file() and analysis.stat().st_mtime < cutoff:
                    shutil.rmtree(run_dir)
                    removed += 1
        return removed

    def iter_run_dirs(self) -> Iterator[Path]:
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                yield child
