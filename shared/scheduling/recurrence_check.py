"""Checking many occurrences of one booking at once (series preview and booking, issue 17).

For each occurrence: the scheduling checks 2h–2o of a single appointment
(:func:`check_appointment`), an overlap with an earlier occurrence of the same request, and —
for a blocked one — the nearest free slot of the same doctor on the same local day, found
with the suggest machinery (:func:`scan_day` over the doctor's, the patient's and the
resources' busy time).

The data usually spans months; every occurrence is checked against the bookings of its own
local day only (bucketed once, ``O(n)``), so a 52-week preview costs 52 small checks instead
of 52 scans of a year of bookings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from shared.scheduling.bookings import BookedAppointment, BookedOperation, SchedulingData, busy_set
from shared.scheduling.checks import AppointmentCheck, check_appointment
from shared.scheduling.intervals import Interval, IntervalSet
from shared.scheduling.slots import scan_day
from shared.scheduling.wallclock import local_date

__all__ = ["OccurrenceVerdict", "check_occurrences", "nearest_free_slot"]

# A practice day has at most 288 five-minute slots; scanning them all finds the nearest.
_DAY_SLOTS = 288


@dataclass(frozen=True)
class OccurrenceVerdict:
    """One occurrence: free, or the check that failed / the earlier occurrence it overlaps
    (1-based), with the nearest free alternative that day (None if the day has none)."""

    interval: Interval
    check: AppointmentCheck
    overlaps_occurrence: int | None = None
    alternative: Interval | None = None

    @property
    def free(self) -> bool:
        return self.check.ok and self.overlaps_occurrence is None


class _DayIndex:
    """The bookings of ``data`` bucketed by each local day they touch."""

    def __init__(self, data: SchedulingData, exclude_appointment_ids: Collection[int]) -> None:
        self.data = data
        appointments: defaultdict[date, list[BookedAppointment]] = defaultdict(list)
        operations: defaultdict[date, list[BookedOperation]] = defaultdict(list)
        for item in data.appointments:
            if item.blocks and item.id not in exclude_appointment_ids:
                for day in self._days(item.interval):
                    appointments[day].append(item)
        for operation in data.operations:
            if operation.blocks:
                for day in self._days(operation.interval):
                    operations[day].append(operation)
        self._appointments = appointments
        self._operations = operations
        self._cache: dict[date, SchedulingData] = {}

    def _days(self, interval: Interval) -> list[date]:
        first = local_date(interval.start, self.data.tz)
        last = local_date(interval.end - timedelta(microseconds=1), self.data.tz)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def on(self, day: date) -> SchedulingData:
        if day not in self._cache:
            self._cache[day] = replace(
                self.data,
                appointments=tuple(self._appointments.get(day, ())),
                operations=tuple(self._operations.get(day, ())),
            )
        return self._cache[day]


def nearest_free_slot(
    data: SchedulingData,
    wanted: Interval,
    *,
    doctor_id: int,
    patient_id: int,
    resource_ids: Collection[int] = (),
    now: datetime | None = None,
    taken: Sequence[Interval] = (),
) -> Interval | None:
    """The free slot of ``wanted``'s length on its local day nearest to its start (ties: the
    earlier), never before ``now`` nor overlapping ``taken``; None if the day has none."""
    day = local_date(wanted.start, data.tz)
    busy = busy_set(
        data.busy_for(
            doctor_id, patient_id=patient_id, resource_ids=resource_ids, include_absences=False
        )
    )
    if taken:
        busy = busy | IntervalSet.of(taken)
    slots = scan_day(data, doctor_id, day, wanted.duration, _DAY_SLOTS, not_before=now, busy=busy)
    if not slots:
        return None
    best = min(slots, key=lambda slot: (abs(slot.start - wanted.start), slot.start))
    return best.interval


def check_occurrences(
    data: SchedulingData,
    occurrences: Sequence[Interval],
    *,
    doctor_id: int,
    patient_id: int,
    resource_ids: Collection[int] = (),
    now: datetime | None = None,
    exclude_appointment_ids: Collection[int] = (),
    with_alternatives: bool = True,
) -> list[OccurrenceVerdict]:
    """A verdict per occurrence, in order. ``exclude_appointment_ids``: stored appointments
    that the occurrences replace (a scoped move) and that therefore block nothing."""
    index = _DayIndex(data, frozenset(exclude_appointment_ids))
    verdicts: list[OccurrenceVerdict] = []
    for interval in occurrences:
        day_data = index.on(local_date(interval.start, data.tz))
        check = check_appointment(
            day_data,
            interval,
            doctor_id=doctor_id,
            patient_id=patient_id,
            resource_ids=resource_ids,
        )
        overlap = next(
            (
                number
                for number, earlier in enumerate(occurrences[: len(verdicts)], start=1)
                if earlier.overlaps(interval)
            ),
            None,
        )
        alternative = None
        if (not check.ok or overlap is not None) and with_alternatives:
            alternative = nearest_free_slot(
                day_data,
                interval,
                doctor_id=doctor_id,
                patient_id=patient_id,
                resource_ids=resource_ids,
                now=now,
                taken=[other for other in occurrences if other is not interval],
            )
        verdicts.append(OccurrenceVerdict(interval, check, overlap, alternative))
    return verdicts
