"""Verifying the audit log's hash chain (``praxi-server audit-verify``).

The database computes the chain (trigger of migration 0006, keyed since 0010: HMAC-SHA256
with the key of ``server.audit.key``, which the database does not hold). Verification
recomputes every hash here in Python from the stored columns with the key, so neither a
changed trigger function nor a superuser who re-chained edited rows can vouch for itself;
and it checks the log against the latest checkpoint outside the database
(``server.audit.checkpoint``), so that removing the newest entries is found too. The row's
canonical serialisation is the JSON array

    [id, user_id, role_name, action, patient_id, "<UTC timestamp>Z", meta, prev_hash]

as PostgreSQL renders ``jsonb`` text (``", "`` between elements, non-ASCII kept, control
characters escaped like Python's ``json.dumps(..., ensure_ascii=False)``); ``meta`` is taken
in its ``jsonb`` text form, which is canonical (keys ordered, whitespace normalised).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from server.audit.checkpoint import Checkpoint
from server.audit.key import row_mac

GENESIS_HASH = "0" * 64
_BATCH = 2000

_ROWS = text(
    """
    SELECT id, user_id, role_name, action, patient_id,
           to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           meta::text, prev_hash, row_hash
      FROM audit_log
     ORDER BY id
    """
)


def canonical(
    row_id: int,
    user_id: int | None,
    role_name: str,
    action: str,
    patient_id: int | None,
    timestamp_utc: str,
    meta_text: str | None,
    prev_hash: str,
) -> str:
    parts = [
        json.dumps(value, ensure_ascii=False)
        for value in (row_id, user_id, role_name, action, patient_id, timestamp_utc)
    ]
    parts.append(meta_text if meta_text is not None else "null")
    parts.append(json.dumps(prev_hash))
    return "[" + ", ".join(parts) + "]"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    head_hash: str
    broken_id: int | None = None
    reason: str = ""
    head_id: int | None = None


def verify_rows(
    rows: Iterable[tuple[Any, ...]],
    head: tuple[int | None, str] | None,
    key: bytes,
    checkpoint: Checkpoint | None = None,
) -> ChainReport:
    """Walk ``rows`` (ordered by id); compare the end with the stored chain ``head`` and the
    log with the ``checkpoint`` taken outside the database."""
    expected_prev = GENESIS_HASH
    count = 0
    last_id: int | None = None
    for row in rows:
        row_id, user_id, role_name, action, patient_id, ts, meta, prev, stored = row
        assert isinstance(row_id, int)
        if prev != expected_prev:
            return ChainReport(
                False, count, expected_prev, row_id, "prev_hash does not match the previous row"
            )
        computed = row_mac(
            key, canonical(row_id, user_id, role_name, action, patient_id, ts, meta, prev)
        )
        if computed != stored:
            return ChainReport(
                False,
                count,
                expected_prev,
                row_id,
                "row content was changed (its keyed hash does not match)",
            )
        expected_prev = computed
        last_id = row_id
        count += 1
        if (
            checkpoint is not None
            and row_id == checkpoint.head_id
            and (count, computed) != (checkpoint.entries, checkpoint.head_hash)
        ):
            return ChainReport(
                False,
                count,
                expected_prev,
                row_id,
                f"the log differs from the checkpoint of {checkpoint.written_at}, which "
                f"records {checkpoint.entries} entries up to this one (found {count})",
            )
    if checkpoint is not None and checkpoint.head_id is not None:
        if last_id is None or last_id < checkpoint.head_id:
            return ChainReport(
                False,
                count,
                expected_prev,
                checkpoint.head_id,
                f"missing: the checkpoint of {checkpoint.written_at} records "
                f"{checkpoint.entries} entries up to entry {checkpoint.head_id}, but the log "
                f"ends with entry {last_id} after {count} entries (the newest entries were "
                "removed)",
            )
        if count < checkpoint.entries:
            return ChainReport(
                False,
                count,
                expected_prev,
                checkpoint.head_id,
                f"missing: the checkpoint of {checkpoint.written_at} records entry "
                f"{checkpoint.head_id}, which is no longer in the log",
            )
    if head is not None and (head[0], head[1]) != (last_id, expected_prev):
        return ChainReport(
            False,
            count,
            expected_prev,
            last_id,
            f"the chain head records entry {head[0]} but the last entry is {last_id} "
            "(entries were removed or appended without the trigger)",
        )
    return ChainReport(True, count, expected_prev, head_id=last_id)


def verify(engine: Engine, key: bytes, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Stream the whole audit log in id order (server-side cursor) and check every link."""
    # One snapshot for the head and the rows, so concurrent inserts do not look like damage.
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        head_row = conn.execute(
            text("SELECT head_id, head_hash FROM audit_log_chain WHERE id = 1")
        ).one_or_none()
        head = (head_row[0], head_row[1]) if head_row is not None else None
        result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(_ROWS)
        return verify_rows((tuple(row) for row in result), head, key, checkpoint)
