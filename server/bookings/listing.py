"""The filters of the booking lists (03 §6.1, 04 §5.2), as SQL conditions over one alias.

Both lists take ``date`` (the bookings overlapping that local day) or ``start_date`` /
``end_date`` (ending after the start of the one, starting before the end of the other);
invalid values are ignored. Every condition also bounds the ``start_time`` index scan
by the longest a booking of the table can last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi import Request

from server.bookings import sql
from server.core import timefmt
from server.core.fields import BIGINT_MAX, parse_int

DayBounds = Callable[[date], tuple[datetime, datetime]]


def query_int(request: Request, name: str) -> int | None:
    """A list filter; invalid values are ignored (03 §6.1, 04 §5.2)."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_int(raw)
    except ValueError:
        return None
    return value if -(2**63) <= value <= BIGINT_MAX else None


def query_date(request: Request, name: str) -> date | None:
    """A list's date filter; invalid values are ignored."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError:
        return None


@dataclass
class Filters:
    """Conditions joined with AND, and the values they bind."""

    conditions: list[str] = field(default_factory=lambda: ["true"])
    params: dict[str, Any] = field(default_factory=dict)
    one_day: bool = False  # a ``date`` list: short, whatever else it filters

    def add(self, condition: str | None, **params: Any) -> None:
        """Add ``condition`` (None: nothing to add) with its bound values."""
        if condition is not None:
            self.conditions.append(condition)
            self.params.update(params)

    @property
    def where_sql(self) -> str:
        return " AND ".join(self.conditions)


def period_filters(
    request: Request, *, alias: str, longest_hours: int, day_bounds: DayBounds
) -> Filters:
    """The ``date`` / ``start_date`` / ``end_date`` conditions of a booking list."""
    filters = Filters()
    day = query_date(request, "date")
    if day is not None:
        start, end = day_bounds(day)
        overlapping = sql.overlapping_sql(
            alias, "range_start", "range_end", longest_hours=longest_hours
        )
        filters.add(overlapping, range_start=start, range_end=end)
        filters.one_day = True
        return filters
    start_day = query_date(request, "start_date")
    end_day = query_date(request, "end_date")
    if start_day is not None:
        filters.add(
            f"{alias}.end_time > :after "
            f"AND {alias}.start_time > :after - interval '{longest_hours} hours'",
            after=day_bounds(start_day)[0],
        )
    if end_day is not None:
        filters.add(f"{alias}.start_time < :before", before=day_bounds(end_day)[1])
    return filters


def id_filters(request: Request, filters: Filters, columns: dict[str, str]) -> None:
    """``?<name>=<id>`` for each query parameter name → column (invalid values ignored)."""
    for name, column in columns.items():
        value = query_int(request, name)
        if value is not None:
            filters.add(f"{column} = :{name}", **{name: value})
