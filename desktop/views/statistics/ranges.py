"""Date ranges of the Statistik screen and its quick choices (pure date arithmetic).

Every range is inclusive on both ends, as the server's ``from``/``to`` are (04 §5.8, 08 §9).
"Dieser Monat", "Dieses Quartal" and "Dieses Jahr" cover the whole calendar period including
the days still ahead, because planned operations and appointments count there too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.i18n import QT_TRANSLATE_NOOP

#: The server refuses longer ranges (D-OP-13, 08 §9).
MAX_DAYS = 366
#: The shared date parser's range (server answers 400 outside it).
EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 12, 31)


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def params(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    def label(self) -> str:
        return f"{self.first:%d.%m.%Y} – {self.last:%d.%m.%Y}"


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def this_month(today: date) -> DateRange:
    first = today.replace(day=1)
    return DateRange(first, _month_end(first))


def last_month(today: date) -> DateRange:
    last = today.replace(day=1) - timedelta(days=1)
    return DateRange(last.replace(day=1), last)


def last_30_days(today: date) -> DateRange:
    return DateRange(today - timedelta(days=29), today)


def _quarter(year: int, index: int) -> DateRange:
    first = date(year, 3 * index + 1, 1)
    return DateRange(first, _month_end(date(year, 3 * index + 3, 1)))


def this_quarter(today: date) -> DateRange:
    return _quarter(today.year, (today.month - 1) // 3)


def last_quarter(today: date) -> DateRange:
    index = (today.month - 1) // 3 - 1
    return _quarter(today.year - 1, 3) if index < 0 else _quarter(today.year, index)


def this_year(today: date) -> DateRange:
    return DateRange(date(today.year, 1, 1), date(today.year, 12, 31))


#: (key, label, range for a given "today") in the order the chooser lists them; the label is
#: a source text, shown with ``translate("Statistik", label)``.
QUICK_RANGES: list[tuple[str, str, Callable[[date], DateRange]]] = [
    ("this_month", QT_TRANSLATE_NOOP("Statistik", "Dieser Monat"), this_month),
    ("last_month", QT_TRANSLATE_NOOP("Statistik", "Letzter Monat"), last_month),
    ("last_30", QT_TRANSLATE_NOOP("Statistik", "Letzte 30 Tage"), last_30_days),
    ("this_quarter", QT_TRANSLATE_NOOP("Statistik", "Dieses Quartal"), this_quarter),
    ("last_quarter", QT_TRANSLATE_NOOP("Statistik", "Letztes Quartal"), last_quarter),
    ("this_year", QT_TRANSLATE_NOOP("Statistik", "Dieses Jahr"), this_year),
]
