"""Embedded mode: run ``praxi-server serve`` as a child process on 127.0.0.1 and a free port.

The child starts the private PostgreSQL cluster in the data directory and stops it on SIGTERM
(POSIX) or CTRL_BREAK (Windows). This module makes sure the child never outlives the desktop:

* normal quit → ``QCoreApplication.aboutToQuit`` → :meth:`EmbeddedServer.stop`;
* an exception that ends the interpreter → ``atexit`` → :meth:`stop`;
* the desktop killed hard → the child watches ``PRAXI_PARENT_PID`` and shuts down cleanly
  (stopping postgres) once this process is gone; as a backstop, Linux: ``PR_SET_PDEATHSIG``
  delivers SIGTERM to the child; Windows: the child runs in a job object with
  ``KILL_ON_JOB_CLOSE``, so the OS ends it (postgres then recovers from its WAL).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import platformdirs

from desktop.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger("praxi.desktop.embedded")

IS_WINDOWS = sys.platform == "win32"
STOP_TIMEOUT_S = 20.0


def data_dir() -> Path:
    """The same folder the server uses (``PRAXI_DATA_DIR`` or the per-user data folder)."""
    configured = os.environ.get("PRAXI_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("PraxiApp", appauthor=False, roaming=False))


def server_command() -> list[str]:
    """How to run ``praxi-server``: from the source tree ``python -m server.cli``; in the
    frozen one-dir bundle the console executable ``praxi-server[.exe]`` next to ``praxi``
    (``installer/praxi.spec``)."""
    if getattr(sys, "frozen", False):
        name = "praxi-server.exe" if IS_WINDOWS else "praxi-server"
        return [str(Path(sys.executable).with_name(name))]
    return [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _linux_parent_death_signal() -> None:  # pragma: no cover - runs in the forked child
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class _WindowsJob:  # pragma: no cover - Windows only
    """A job object that kills its processes when the desktop's last handle closes."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]

        class BasicLimits(ctypes.Structure):
            _fields_ = [
                ("PerProcessUserTimeLimit", ctypes.c_int64),
                ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", wintypes.DWORD),
                ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t),
                ("ActiveProcessLimit", wintypes.DWORD),
                ("Affinity", ctypes.c_size_t),
                ("PriorityClass", wintypes.DWORD),
                ("SchedulingClass", wintypes.DWORD),
            ]

        class IoCounters(ctypes.Structure):
            _fields_ = [
                (name, ctypes.c_uint64)
                for name in (
                    "ReadOperationCount",
                    "WriteOperationCount",
                    "OtherOperationCount",
                    "ReadTransferCount",
                    "WriteTransferCount",
                    "OtherTransferCount",
                )
            ]

        class ExtendedLimits(ctypes.Structure):
            _fields_ = [
                ("BasicLimitInformation", BasicLimits),
                ("IoInfo", IoCounters),
                ("ProcessMemoryLimit", ctypes.c_size_t),
                ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t),
                ("PeakJobMemoryUsed", ctypes.c_size_t),
            ]

        job_object_extended_limit_information = 9
        kill_on_job_close = 0x2000
        self._kernel32 = kernel32
        self.handle = kernel32.CreateJobObjectW(None, None)
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = kill_on_job_close
        kernel32.SetInformationJobObject(
            self.handle,
            job_object_extended_limit_information,
            ctypes.byref(limits),
            ctypes.sizeof(limits),
        )

    def add(self, process: subprocess.Popen[Any]) -> None:
        handle = int(process._handle)  # type: ignore[attr-defined]
        self._kernel32.AssignProcessToJobObject(self.handle, handle)


def open_private_log(path: Path) -> IO[bytes]:
    """Truncate or create ``path`` readable by its owner only (issue 22: a practice's server
    log is nobody else's business). POSIX: mode 0600, also for a file an older version left
    0644; Windows: the per-user data folder already keeps other users out."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    if sys.platform != "win32":
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


class EmbeddedServer:
    """The child ``praxi-server serve`` process; ``url`` is known before it is ready."""

    def __init__(self, *, port: int | None = None, extra_env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir() / "logs" / "server.log"
        self._extra_env = extra_env or {}
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._job: Any = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def command(self) -> list[str]:
        return [
            *server_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def child_env(self) -> dict[str, str]:
        """Environment of the server child (and of ``seed-demo`` against the same data).

        ``PRAXI_PARENT_PID`` makes the server stop itself when this process is gone, however
        it ended (``server.cli._stop_when_parent_exits``).
        """
        env = {
            **os.environ,
            **self._extra_env,
            "PYTHONUNBUFFERED": "1",
            "PRAXI_PARENT_PID": str(os.getpid()),
        }
        env.pop("PRAXI_DATABASE_URL", None)  # embedded mode means the embedded database
        return env

    def start(self) -> None:
        """Spawn the child (returns at once; poll ``/api/health/`` to know when it is up)."""
        self._log_file = open_private_log(self.log_path)
        env = self.child_env()
        kwargs: dict[str, Any] = {}
        if IS_WINDOWS:  # pragma: no cover
            kwargs["creationflags"] = (
                subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined,unused-ignore]
                | subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined,unused-ignore]
            )
        elif sys.platform.startswith("linux"):
            kwargs["preexec_fn"] = _linux_parent_death_signal
        self._process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
            **kwargs,
        )
        if IS_WINDOWS:  # pragma: no cover
            try:
                self._job = _WindowsJob()
                self._job.add(self._process)
            except OSError as exc:
                log.warning("no job object for the server process: %s", exc)
        atexit.register(self.stop)
        log.info("embedded server started (pid %s) on %s", self._process.pid, self.url)

    def exited(self) -> int | None:
        """Exit code if the child has ended (it should not before ``stop``), else None."""
        return self._process.poll() if self._process else None

    def progress_hint(self) -> str:
        """What the child is doing now, from the tail of its log (German source text: the
        launcher shows it through ``tr``)."""
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(max(0, self.log_path.stat().st_size - 4096))
                tail = handle.read().decode("utf-8", "replace")
        except OSError:
            return QT_TRANSLATE_NOOP("Launcher", "Server wird gestartet …")
        if "Uvicorn running" in tail or "Application startup complete" in tail:
            return QT_TRANSLATE_NOOP("Launcher", "Verbindung wird hergestellt …")
        if "PraxiApp API on" in tail:
            return QT_TRANSLATE_NOOP("Launcher", "Server wird gestartet …")
        if "starting the embedded PostgreSQL" in tail:
            return QT_TRANSLATE_NOOP("Launcher", "Datenbank wird gestartet und aktualisiert …")
        return QT_TRANSLATE_NOOP("Launcher", "Server wird gestartet …")

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Ask the child to stop (it stops postgres), wait, and kill only as a last resort."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        if process.poll() is None:
            try:
                if IS_WINDOWS:  # pragma: no cover
                    process.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
                else:
                    process.terminate()
                process.wait(timeout=STOP_TIMEOUT_S)
            except (OSError, subprocess.TimeoutExpired):
                log.warning("embedded server did not stop in time; killing it")
                process.kill()
                process.wait(timeout=5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        log.info("embedded server stopped (exit code %s)", process.returncode)

    def wait_stopped(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        deadline = time.monotonic() + timeout
        while self._process is not None and self._process.poll() is None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True
