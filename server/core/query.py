"""Query-string helpers (00 §2: booleans are true/false, anything else means absent)."""

from __future__ import annotations


def bool_param(raw: str | None) -> bool | None:
    if raw is None:
        return None
    lowered = raw.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching ``text`` literally anywhere (wildcards escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
