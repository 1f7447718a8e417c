"""Path ids (00 §1, §12): positive bigint, anything else is simply not found."""

from __future__ import annotations

from server.core.errors import not_found

BIGINT_MAX = 2**63 - 1


def parse_path_id(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit():
        raise not_found()
    value = int(raw)
    if not 1 <= value <= BIGINT_MAX:
        raise not_found()
    return value
