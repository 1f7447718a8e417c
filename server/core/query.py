"""Query-string helpers (00 §2: booleans are true/false, anything else means absent).

Text filters go through ``where_text``: PostgreSQL text can never hold NUL (00 §12), so a
filter value containing one matches no row — answered without sending it to the database,
which would refuse it (a 500 before this helper existed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false

NUL = "\x00"
_Statement = TypeVar("_Statement", bound=Select[Any])


def where_text(
    statement: _Statement, value: str, condition: Callable[[str], ColumnElement[bool]]
) -> _Statement:
    """``statement`` filtered by ``condition(value)``; nothing matches a value holding NUL."""
    if NUL in value:
        return statement.where(false())
    return statement.where(condition(value))


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
