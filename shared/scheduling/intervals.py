"""Half-open time intervals ``[start, end)`` and normalised interval sets.

Value types in the spirit of *portion*: small, immutable, set-algebra operators.

* :class:`Interval` is one non-empty half-open interval between two timezone-aware
  datetimes. Both ends are normalised to UTC on construction. That is deliberate: Python
  compares and subtracts two datetimes that share a ``ZoneInfo`` by their *wall-clock*
  reading (ignoring ``fold``), which is wrong on DST fall-back days. Keeping every instant
  in UTC makes ``<``, ``-`` and ``+ timedelta`` mean real elapsed time. Callers format
  results with ``.astimezone(tz)``.
* :class:`IntervalSet` is a normalised set of intervals: sorted, pairwise disjoint, and
  touching pieces merged (``[a, b) | [b, c) == [a, c)``). It supports ``|`` (union),
  ``&`` (intersection), ``-`` (difference), ``overlaps``, ``covers`` and an ``O(log n)``
  lookup of the first member that overlaps a probe interval (used by the sweep-line slot
  search).

Semantics (spec 03 §5.1): two intervals conflict iff ``a.start < b.end and a.end >
b.start``; touching intervals never conflict. Empty intervals do not exist: operations
that could produce one return ``None`` (single intervals) or an empty set.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = ["Interval", "IntervalSet", "normalise", "subtract"]


def _as_utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Interval {name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A non-empty half-open interval ``[start, end)`` of aware datetimes (stored in UTC).

    Ordering is lexicographic on ``(start, end)``. Raises ``ValueError`` for naive datetimes
    or ``end <= start``; use :meth:`maybe` when an empty result is legitimate.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start = _as_utc(self.start, "start")
        end = _as_utc(self.end, "end")
        if not start < end:
            raise ValueError(f"Interval end must be after start: [{start}, {end})")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def maybe(cls, start: datetime, end: datetime) -> Interval | None:
        """The interval ``[start, end)``, or ``None`` when it would be empty."""
        if _as_utc(end, "end") <= _as_utc(start, "start"):
            return None
        return cls(start, end)

    @classmethod
    def of_length(cls, start: datetime, length: timedelta) -> Interval:
        """``[start, start + length)`` measured in elapsed (not wall-clock) time."""
        begin = _as_utc(start, "start")
        return cls(begin, begin + length)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        """Half-open overlap: touching intervals do not overlap."""
        return self.start < other.end and other.start < self.end

    def contains(self, item: Interval | datetime) -> bool:
        """``item`` lies inside: an instant ``start <= t < end``; an interval as a subset."""
        if isinstance(item, Interval):
            return self.start <= item.start and item.end <= self.end
        instant = _as_utc(item, "instant")
        return self.start <= instant < self.end

    def __contains__(self, item: Interval | datetime) -> bool:
        return self.contains(item)

    def intersection(self, other: Interval) -> Interval | None:
        return Interval.maybe(max(self.start, other.start), min(self.end, other.end))

    def __and__(self, other: Interval) -> Interval | None:
        return self.intersection(other)

    def __or__(self, other: Interval) -> IntervalSet:
        return IntervalSet.of((self, other))

    def __sub__(self, other: Interval) -> IntervalSet:
        return IntervalSet.of((self,)) - IntervalSet.of((other,))


def normalise(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or touching intervals. ``O(n log n)``."""
    ordered = sorted(intervals)
    merged: list[Interval] = []
    for current in ordered:
        if merged and current.start <= merged[-1].end:
            last = merged[-1]
            if current.end > last.end:
                merged[-1] = Interval(last.start, current.end)
        else:
            merged.append(current)
    return tuple(merged)


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> tuple[Interval, ...]:
    """``base`` minus ``removed`` as normalised intervals (sweep over both sorted lists)."""
    cut = normalise(removed)
    result: list[Interval] = []
    index = 0
    for piece in normalise(base):
        cursor = piece.start
        # skip removed intervals that end before this piece starts
        while index < len(cut) and cut[index].end <= piece.start:
            index += 1
        probe = index
        while probe < len(cut) and cut[probe].start < piece.end:
            hole = cut[probe]
            if hole.start > cursor:
                result.append(Interval(cursor, hole.start))
            cursor = max(cursor, hole.end)
            probe += 1
        if cursor < piece.end:
            result.append(Interval(cursor, piece.end))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class IntervalSet:
    """A normalised, immutable set of instants, stored as disjoint sorted intervals.

    Build with :meth:`of` (normalises any iterable); the plain constructor expects
    already-normalised input and re-normalises it to stay safe.
    """

    intervals: tuple[Interval, ...] = ()
    _ends: tuple[datetime, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        normal = normalise(self.intervals)
        object.__setattr__(self, "intervals", normal)
        object.__setattr__(self, "_ends", tuple(piece.end for piece in normal))

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> IntervalSet:
        return cls(tuple(intervals))

    def __iter__(self) -> Iterator[Interval]:
        return iter(self.intervals)

    def __len__(self) -> int:
        return len(self.intervals)

    def __bool__(self) -> bool:
        return bool(self.intervals)

    @property
    def total(self) -> timedelta:
        return sum((piece.duration for piece in self.intervals), timedelta())

    def __or__(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet(self.intervals + other.intervals)

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet(subtract(self.intervals, other.intervals))

    def __and__(self, other: IntervalSet) -> IntervalSet:
        result: list[Interval] = []
        i = j = 0
        left, right = self.intervals, other.intervals
        while i < len(left) and j < len(right):
            common = left[i] & right[j]
            if common is not None:
                result.append(common)
            if left[i].end <= right[j].end:
                i += 1
            else:
                j += 1
        return IntervalSet(tuple(result))

    def first_overlap(self, probe: Interval) -> Interval | None:
        """The earliest member overlapping ``probe`` (half-open), in ``O(log n)``."""
        index = bisect.bisect_right(self._ends, probe.start)
        if index < len(self.intervals) and self.intervals[index].start < probe.end:
            return self.intervals[index]
        return None

    def overlaps(self, probe: Interval) -> bool:
        return self.first_overlap(probe) is not None

    def covers(self, probe: Interval) -> bool:
        """Every instant of ``probe`` belongs to the set."""
        hit = self.first_overlap(probe)
        return hit is not None and hit.contains(probe)

    def contains_instant(self, instant: datetime) -> bool:
        moment = _as_utc(instant, "instant")
        index = bisect.bisect_right(self._ends, moment)
        return index < len(self.intervals) and self.intervals[index].start <= moment

    def clip(self, window: Interval) -> IntervalSet:
        """The part of the set inside ``window``."""
        return self & IntervalSet((window,))
