"""The audit chain's head, checkpointed outside the database.

A keyed chain (``server.audit.key``) stops a database superuser from *changing* entries, but
not from deleting the newest ones and moving the head back: what is left is still a valid
chain. So the head — how many entries, the newest id and its hash — is written outside the
database: to ``<data dir>/audit-checkpoint.json`` by the running server (every
``CHECKPOINT_EVERY``), by every backup (also next to the dump, ``<dump>.audit-checkpoint.json``)
and by every successful ``audit-verify``. ``audit-verify`` then checks that the log still
contains the checkpointed entries, unchanged.

A checkpoint carries an HMAC with the audit key, so it cannot be forged without the key
either. A checkpoint only moves forward: it is not replaced by a head that does not extend
it (that would overwrite the evidence of a truncation), and the refusal is logged.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from server.audit.key import row_mac

log = logging.getLogger("praxi.audit")

FILE_NAME = "audit-checkpoint.json"
SIDECAR_SUFFIX = ".audit-checkpoint.json"
CHECKPOINT_EVERY = timedelta(minutes=1)
_FORMAT = 1


class CheckpointError(Exception):
    """A checkpoint file is unreadable or was altered; the message names the file."""


class ChainShortened(Exception):
    """The log no longer extends the checkpoint: entries were removed or changed."""


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    head_id: int | None
    head_hash: str
    written_at: str

    def _payload(self) -> str:
        return json.dumps({"format": _FORMAT, **asdict(self)}, sort_keys=True)

    def to_json(self, key: bytes) -> str:
        document = {"format": _FORMAT, **asdict(self), "mac": row_mac(key, self._payload())}
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    def describe(self) -> str:
        return f"{self.entries} entries up to entry {self.head_id} ({self.written_at})"


def parse(raw: str, key: bytes, source: Path) -> Checkpoint:
    try:
        document = json.loads(raw)
        checkpoint = Checkpoint(
            entries=int(document["entries"]),
            head_id=None if document["head_id"] is None else int(document["head_id"]),
            head_hash=str(document["head_hash"]),
            written_at=str(document["written_at"]),
        )
        mac = str(document["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"the checkpoint {source} is unreadable ({exc})") from exc
    if mac != row_mac(key, checkpoint._payload()):
        raise CheckpointError(f"the checkpoint {source} was altered or written with another key")
    return checkpoint


def load(path: Path, key: bytes) -> Checkpoint | None:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointError(f"the checkpoint {path} cannot be read ({exc})") from exc
    return parse(raw, key, path)


def write(path: Path, checkpoint: Checkpoint, key: bytes) -> None:
    """Atomically (temporary file + replace), owner-readable only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".audit-checkpoint-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(checkpoint.to_json(key))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_HEAD = text(
    "SELECT (SELECT count(*) FROM audit_log), id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1"
)
_STILL_THERE = text(
    "SELECT (SELECT count(*) FROM audit_log WHERE id <= :id), "
    "(SELECT row_hash FROM audit_log WHERE id = :id)"
)


def current(engine: Engine, now: datetime) -> Checkpoint:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        row = conn.execute(_HEAD).one_or_none()
    if row is None:
        return Checkpoint(0, None, "0" * 64, now.isoformat())
    return Checkpoint(int(row[0]), int(row[1]), str(row[2]), now.isoformat())


def extends(engine: Engine, older: Checkpoint) -> bool:
    """Whether the log still holds ``older``'s entries with ``older``'s head unchanged."""
    if older.head_id is None:
        return True
    with engine.connect() as conn:
        count, head_hash = conn.execute(_STILL_THERE, {"id": older.head_id}).one()
    return bool(count == older.entries and head_hash == older.head_hash)


def advance(engine: Engine, path: Path, key: bytes, now: datetime) -> Checkpoint:
    """Write the database's current head to ``path`` if it extends the checkpoint there.

    Raises :class:`ChainShortened` (and leaves the file alone) when it does not, and
    :class:`CheckpointError` when the file there is not a valid checkpoint.
    """
    older = load(path, key)
    newer = current(engine, now)
    if older is not None:
        if not extends(engine, older):
            raise ChainShortened(
                f"the audit log no longer contains the checkpointed {older.describe()} "
                "unchanged: entries were removed or changed"
            )
        if (newer.entries, newer.head_id) == (older.entries, older.head_id):
            return older
    write(path, newer, key)
    return newer


class CheckpointWriter:
    """Advances the checkpoint every :data:`CHECKPOINT_EVERY` in a background thread, and
    once more on :meth:`stop`. Failures are logged, never fatal for the server."""

    def __init__(self, engine: Engine, path: Path, key: bytes, now: Callable[[], datetime]) -> None:
        self._engine, self._path, self._key, self._now = engine, path, key, now
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="praxi-audit-checkpoint")
        self._thread.daemon = True

    def step(self) -> None:
        try:
            advance(self._engine, self._path, self._key, self._now())
        except (ChainShortened, CheckpointError) as exc:
            log.error("audit checkpoint not advanced: %s", exc)
        except Exception as exc:  # database unreachable and the like: try again later
            log.warning("audit checkpoint not written: %s", exc)

    def _run(self) -> None:
        while not self._stopped.wait(CHECKPOINT_EVERY.total_seconds()):
            self.step()

    def start(self) -> None:
        self.step()
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)
        self.step()


@dataclass(frozen=True)
class AuditCheckpointFiles:
    """The checkpoint of one installation's data folder, for the command-line tools."""

    data_dir: Path
    key: bytes
    engine_factory: Callable[[], Engine]
    now: Callable[[], datetime]

    @property
    def path(self) -> Path:
        return self.data_dir / FILE_NAME

    def for_backup(self) -> str | None:
        """The checkpoint to store next to a dump made right after this call (``None``: the
        database has no audit log yet, e.g. never migrated).

        The head read here is a prefix of what the dump will contain (entries are only
        appended). If the log no longer extends the last checkpoint, the backup still goes
        ahead (it is the practice's data) but carries that last checkpoint: the evidence."""
        engine = self.engine_factory()
        try:
            with engine.connect() as conn:
                if conn.execute(text("SELECT to_regclass('audit_log')")).scalar() is None:
                    return None
            checkpoint = advance(engine, self.path, self.key, self.now())
        except ChainShortened as exc:
            log.error("backup carries the previous audit checkpoint: %s", exc)
            older = load(self.path, self.key)
            assert older is not None  # ChainShortened needs an older checkpoint
            checkpoint = older
        finally:
            engine.dispose()
        return checkpoint.to_json(self.key)

    def install_from_backup(self, dump: Path) -> str:
        """After a restore: the backup's checkpoint becomes the data folder's (the entries
        after it are gone with the restore, legitimately). Returns a line for the user."""
        sidecar = dump.with_name(dump.name + SIDECAR_SUFFIX)
        try:
            checkpoint = parse(sidecar.read_text(encoding="utf-8"), self.key, sidecar)
        except FileNotFoundError:
            if self.path.exists():
                aside = self.path.with_name(f"{FILE_NAME}.before-restore")
                os.replace(self.path, aside)
                return f"The backup has no audit checkpoint; the previous one was moved to {aside}."
            return "The backup has no audit checkpoint."
        except CheckpointError as exc:
            return f"WARNING: {exc}; the audit checkpoint was not replaced."
        write(self.path, checkpoint, self.key)
        return f"Audit checkpoint of the backup installed: {checkpoint.describe()}."
