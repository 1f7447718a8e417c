"""Where things sit on the OP timeline: scene coordinates of rooms (rows) and times (x).

The room column (``HEADER_W``) and the time axis (``axis_h``) lie left of and above the
blocks; they are painted by the pinned headers (``headers``), the scene starts where the
blocks do, at (``HEADER_W``, ``axis_h``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from desktop.api.op_timeline import PlanData

HEADER_W = 170.0
AXIS_H = 26.0
#: Week range: a row of day headers above the hour labels.
WEEK_AXIS_H = 46.0
ROW_H = 64.0
DAY_START = time(7)
DAY_END = time(20)
SNAP_MIN = 5


def working_span(data: PlanData) -> tuple[int, int]:
    """First and last hour shown per day: 07–20, widened to fit the operations of shown days."""
    first, last = DAY_START.hour, DAY_END.hour
    shown = set(data.days)
    for op in data.operations:
        if op.start.date() not in shown:
            continue
        first = min(first, op.start.hour)
        if op.end.date() > op.start.date():
            last = 24
        else:
            last = max(last, op.end.hour + (1 if (op.end.minute or op.end.second) else 0))
    return first, min(24, last)


@dataclass
class Geometry:
    day: date
    px_per_minute: float = 2.0
    #: The days side by side (contiguous); empty means just ``day``.
    days: list[date] = field(default_factory=list)
    first_hour: int = DAY_START.hour
    last_hour: int = DAY_END.hour

    @property
    def shown_days(self) -> list[date]:
        return self.days or [self.day]

    @property
    def week(self) -> bool:
        return len(self.shown_days) > 1

    @property
    def axis_h(self) -> float:
        return WEEK_AXIS_H if self.week else AXIS_H

    @property
    def span_minutes(self) -> int:
        return (self.last_hour - self.first_hour) * 60

    @property
    def day_width(self) -> float:
        return self.span_minutes * self.px_per_minute

    def day_x(self, index: int) -> float:
        return HEADER_W + index * self.day_width

    def x_of(self, when: datetime) -> float:
        first = self.shown_days[0]
        origin = datetime.combine(when.date(), time(self.first_hour))
        minutes = (when - origin).total_seconds() / 60
        return self.day_x((when.date() - first).days) + minutes * self.px_per_minute

    def time_at(self, x: float) -> datetime:
        """The snapped time under ``x``; in the week range the day column decides the date."""
        days = self.shown_days
        offset = x - HEADER_W
        index = 0
        if len(days) > 1 and self.day_width > 0:
            index = max(0, min(len(days) - 1, math.floor(offset / self.day_width)))
        minutes = (offset - index * self.day_width) / self.px_per_minute
        minutes = round(minutes / SNAP_MIN) * SNAP_MIN
        return datetime.combine(days[index], time(self.first_hour)) + timedelta(minutes=minutes)

    def y_of(self, row: int) -> float:
        return self.axis_h + row * ROW_H

    def row_at(self, y: float) -> int:
        return int((y - self.axis_h) // ROW_H)

    @property
    def width(self) -> float:
        return self.day_x(len(self.shown_days))
