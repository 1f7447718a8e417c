"""Preparing a received log for storage: normalise, redact, cap (spec 06 §5.3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ci_agent.redact import redact
from ci_agent.schema import clean_log_text

_LINE_SNAP = 4096


def _char_start(data: bytes, index: int) -> int:
    """Move ``index`` back to the start of a UTF-8 character."""
    while 0 < index < len(data) and (data[index] & 0xC0) == 0x80:
        index -= 1
    return index


def cap_bytes(data: bytes, cap: int) -> tuple[bytes, bool]:
    """Keep the first quarter and the last three quarters of ``cap`` bytes with a marker."""
    if len(data) <= cap:
        return data, False
    head_end = _char_start(data, cap // 4)
    newline = data.rfind(b"\n", max(head_end - _LINE_SNAP, 0), head_end)
    if newline >= 0:
        head_end = newline + 1
    tail_start = _char_start(data, len(data) - (cap - cap // 4))
    newline = data.find(b"\n", tail_start, min(tail_start + _LINE_SNAP, len(data)))
    if newline >= 0:
        tail_start = newline + 1
    head = data[:head_end]
    separator = b"" if not head or head.endswith(b"\n") else b"\n"
    marker = f"[ci-agent] {tail_start - head_end} bytes omitted\n".encode()
    return head + separator + marker + data[tail_start:], True


def prepare_log(
    text: str,
    *,
    file_name: str,
    cap: int,
    redact_secrets: bool,
    literals: Iterable[str] = (),
) -> tuple[str, dict[str, Any]]:
    """Returns the text to store and its ``logs.<x>`` statistics."""
    cleaned = clean_log_text(text)
    received = len(cleaned.encode("utf-8"))
    normalised = cleaned.replace("\r\n", "\n")
    redactions = 0
    if redact_secrets:
        normalised, redactions = redact(normalised, literals)
    stored_bytes, truncated = cap_bytes(normalised.encode("utf-8"), cap)
    stored = stored_bytes.decode("utf-8")
    lines = stored.count("\n") + (1 if stored and not stored.endswith("\n") else 0)
    return stored, {
        "file": file_name,
        "received_bytes": received,
        "stored_bytes": len(stored_bytes),
        "truncated": truncated,
        "lines": lines,
        "redactions": redactions,
    }
