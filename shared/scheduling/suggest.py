"""Appointment suggestions (spec 03 §9.4, README "Suggestions") and the "Doctor
unavailable." alternatives (03 §11), as pure functions over :class:`SchedulingData`.

The server validates the query (03 §9.2: clamps ``limit`` ≤ 50 and ``days`` ≤ 31,
resolves the effective duration, checks doctor/type/resources), loads the data for
``[start_date, start_date + days)`` for the doctors concerned, and calls one function:

* :func:`suggest` — requested doctor, with the substitution fallback;
* :func:`suggest_any_doctor` — ``any_doctor=true``: all doctors merged, no fallback;
* :func:`alternatives` — the ``alternatives`` list of the "Doctor unavailable." payload.

Decisions where the spec is silent:

* ``other_doctor_ids`` / ``doctor_ids`` are the *active* doctors as the caller knows
  them; the engine de-duplicates, sorts by id and leaves out the requested doctor.
* ``any_doctor``: each doctor is scanned over the horizon with the full ``limit`` (per
  §9.4), all slots are ordered by ``(start, doctor_id)`` and cut to ``limit``. Slots of
  different doctors may overlap (they are different people).
* Alternatives: the duration is the appointment's length in minutes rounded up, minimum
  1 (03 §11); the horizon is the start's local date plus 30 days; "now" clips as in
  suggest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.scheduling.bookings import SchedulingData
from shared.scheduling.intervals import Interval
from shared.scheduling.slots import Slot, scan_days
from shared.scheduling.wallclock import local_date

__all__ = [
    "ALTERNATIVES_HORIZON_DAYS",
    "Alternative",
    "DoctorSuggestions",
    "SuggestRequest",
    "SuggestResult",
    "alternatives",
    "suggest",
    "suggest_any_doctor",
]

ALTERNATIVES_HORIZON_DAYS = 31


@dataclass(frozen=True)
class SuggestRequest:
    """A validated suggest query (03 §9.2) plus the caller's "now"."""

    start_day: date
    duration: timedelta
    now: datetime
    limit: int = 1
    days: int = 1
    resource_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        if self.limit < 1 or self.days < 1:
            raise ValueError("limit and days must be >= 1")
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")


@dataclass(frozen=True)
class DoctorSuggestions:
    """One ``fallback_suggestions`` entry: a substitute doctor and their slots."""

    doctor_id: int
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class SuggestResult:
    """``primary`` = ``primary_suggestions``; ``fallback`` = ``fallback_suggestions``."""

    primary: tuple[Slot, ...]
    fallback: tuple[DoctorSuggestions, ...] = ()

    @property
    def substituted(self) -> bool:
        """The fallback was used and found someone (audit ``doctor_substitution_suggest``)."""
        return bool(self.fallback)


def _scan(data: SchedulingData, doctor_id: int, request: SuggestRequest) -> list[Slot]:
    return scan_days(
        data,
        doctor_id,
        request.start_day,
        request.days,
        request.duration,
        request.limit,
        now=request.now,
        resource_ids=request.resource_ids,
    )


def suggest(
    data: SchedulingData,
    request: SuggestRequest,
    *,
    doctor_id: int,
    other_doctor_ids: Iterable[int] = (),
) -> SuggestResult:
    """Suggestions for ``doctor_id``; if none over the whole horizon, every other doctor
    (by id) is scanned with the same request, doctors with ≥ 1 slot are kept and ordered
    by the start of their first slot, then doctor id (03 §9.4)."""
    primary = _scan(data, doctor_id, request)
    if primary:
        return SuggestResult(tuple(primary))
    entries = [
        DoctorSuggestions(other, tuple(slots))
        for other in sorted(set(other_doctor_ids) - {doctor_id})
        if (slots := _scan(data, other, request))
    ]
    entries.sort(key=lambda entry: (entry.slots[0].start, entry.doctor_id))
    return SuggestResult((), tuple(entries))


def suggest_any_doctor(
    data: SchedulingData, request: SuggestRequest, doctor_ids: Iterable[int]
) -> tuple[Slot, ...]:
    """``any_doctor=true``: slots of every doctor ordered by (start, doctor id), first
    ``limit`` (README "Suggestions"). No fallback."""
    merged = sorted(
        slot for doctor_id in sorted(set(doctor_ids)) for slot in _scan(data, doctor_id, request)
    )
    return tuple(merged[: request.limit])


@dataclass(frozen=True)
class Alternative:
    """One ``alternatives`` entry of "Doctor unavailable." (03 §11)."""

    doctor_id: int
    next_available: datetime


def alternatives(
    data: SchedulingData,
    appointment: Interval,
    *,
    requested_doctor_id: int,
    doctor_ids: Iterable[int],
    now: datetime,
) -> list[Alternative]:
    """First free slot of every other doctor (by id) within 31 days from the
    appointment's local start date; no type, no resources; doctors without one omitted."""
    minutes = max(1, math.ceil(appointment.duration / timedelta(minutes=1)))
    first_day = local_date(appointment.start, data.tz)
    found: list[Alternative] = []
    for doctor_id in sorted(set(doctor_ids) - {requested_doctor_id}):
        slots = scan_days(
            data,
            doctor_id,
            first_day,
            ALTERNATIVES_HORIZON_DAYS,
            timedelta(minutes=minutes),
            1,
            now=now,
        )
        if slots:
            found.append(Alternative(doctor_id, slots[0].start))
    return found
