"""PraxiApp scheduling engine — pure functions over plain frozen dataclasses.

No database, no I/O, no clock: the caller passes "now", the practice time zone and every
busy interval. Server and desktop import the same code. Standard library only.

How the server uses it (one call per request, bounded queries before it):

1. Load, for the local date range of the request, the practice hours, the doctor hours
   of the doctors concerned, absences and breaks touching the range, and appointments and
   operations overlapping it (for those doctors / resources / the patient). Filtering by
   status or ``active`` is optional — the engine ignores cancelled and inactive rows.
2. Build one :class:`SchedulingData` (``tz=ZoneInfo(settings.timezone)``).
3. Call one of the entry points below; format returned UTC instants with
   ``.astimezone(tz)`` (00 §6).

Public API (module in brackets):

* ``Interval(start, end)`` / ``Interval.maybe`` / ``Interval.of_length`` — half-open
  ``[start, end)``; ``overlaps``, ``contains``, ``&``, ``|``, ``-`` [intervals]
* ``IntervalSet.of(intervals)`` — normalised set; ``| & -``, ``overlaps``, ``covers``,
  ``first_overlap`` (O(log n)), ``clip``, ``total``; ``normalise``, ``subtract`` [intervals]
* ``local_to_utc(day, clock, tz)``, ``day_bounds(day, tz)``, ``local_date(instant, tz)``,
  ``local_days(first, last)``, ``round_up_to_grid(instant, tz)`` [wallclock]
* ``PracticeHours``, ``DoctorHours``, ``Absence``, ``Break``, ``Window``;
  ``windows_on(day, hours, tz)``, ``expand_weekly(hours, first, last, tz)``,
  ``has_hours_on(day, hours)``, ``absence_set(...)``, ``break_set(...)``,
  ``open_time(practice, doctor, first, last, tz, removed=...)`` [hours]
* ``BookedAppointment``, ``BookedOperation``, ``SchedulingData`` (``busy_for``,
  ``hours_of``, ``absences_of``), ``Busy``, ``ConflictKind``, ``SourceModel``,
  ``find_conflicts(candidate, busy)``, ``busy_set(busy, *kinds)`` [bookings]
* ``check_appointment(data, interval, *, doctor_id, patient_id, resource_ids=(),
  exclude_appointment_id=None) -> AppointmentCheck`` (checks 2h–2o, ``CheckFailure``);
  ``check_hours(interval, hours, tz)``, ``day_segments(interval, data)``,
  ``available_doctor_ids``, ``free_room_ids``, ``busy_patient_ids`` (03 §8) [checks]
* ``Slot``, ``plan_day(data, doctor_id, day)``, ``slot_busy(data, doctor_id,
  resource_ids)``, ``scan_day(data, doctor_id, day, duration, limit, *, not_before,
  busy, resource_ids)``, ``scan_days(data, doctor_id, first_day, days, duration, limit,
  *, now, resource_ids)`` (03 §9.3/§9.4) [slots]
* ``SuggestRequest``, ``suggest(data, request, *, doctor_id, other_doctor_ids) ->
  SuggestResult`` (primary + fallback), ``suggest_any_doctor(data, request, doctor_ids)``,
  ``alternatives(data, appointment, *, requested_doctor_id, doctor_ids, now)`` [suggest]
* ``availability_summary(data, doctor_ids, first_day, last_day, *, today, now)`` →
  ``DoctorAvailability`` (03 §12) [availability]
* ``OperationRequest``, ``suggest_operation_slots(data, request)`` (04 §5.5)
  [operations]

Decisions where the spec is silent (details in each module's docstring):

* Instants are stored and returned in UTC; naive datetimes are rejected (ValueError).
  Same-``ZoneInfo`` datetimes compare by wall clock in Python, which breaks on fall-back
  days — UTC avoids that.
* Non-existent local times (spring-forward gap) map to the transition instant; ambiguous
  ones to the earlier occurrence (00 §6). A window inside the gap vanishes; the weekday
  still "has hours" (reason ``outside_…`` not ``no_…``).
* The 5-minute grid is the local clock's grid (minutes past the local hour).
* Slots found in overlapping window pairs are de-duplicated by treating earlier finds as
  busy; the per-day limit is reached in (practice × doctor) pair order and then sorted,
  literally as 03 §9.3 steps 7–8 say.
* ``any_doctor`` slots of different doctors may overlap; ties in start time break by
  doctor id (``Slot`` orders by ``(start, doctor_id, end)``).
* One ``Busy`` per (row, clashing resource), so a resource conflict lists every resource.
* Validation and clamping of request parameters (``limit`` ≤ 50, ``days`` ≤ 31,
  durations ≤ 1440) stay in the server; the engine raises ``ValueError`` on nonsense
  (non-positive duration, ``limit``/``days`` < 1).
"""

from shared.scheduling.availability import (
    DoctorAvailability,
    UnavailableReason,
    availability_summary,
)
from shared.scheduling.bookings import (
    BookedAppointment,
    BookedOperation,
    Busy,
    ConflictKind,
    SchedulingData,
    SourceModel,
    busy_set,
    find_conflicts,
)
from shared.scheduling.checks import (
    AppointmentCheck,
    CheckFailure,
    available_doctor_ids,
    busy_patient_ids,
    check_appointment,
    check_hours,
    day_segments,
    free_room_ids,
)
from shared.scheduling.hours import (
    Absence,
    Break,
    DoctorHours,
    PracticeHours,
    Window,
    absence_set,
    break_set,
    expand_weekly,
    has_hours_on,
    open_time,
    windows_on,
)
from shared.scheduling.intervals import Interval, IntervalSet, normalise, subtract
from shared.scheduling.operations import OperationRequest, suggest_operation_slots
from shared.scheduling.slots import DayPlan, Slot, plan_day, scan_day, scan_days, slot_busy
from shared.scheduling.suggest import (
    Alternative,
    DoctorSuggestions,
    SuggestRequest,
    SuggestResult,
    alternatives,
    suggest,
    suggest_any_doctor,
)
from shared.scheduling.wallclock import (
    day_bounds,
    local_date,
    local_days,
    local_to_utc,
    round_up_to_grid,
)

__all__ = [
    "Absence",
    "Alternative",
    "AppointmentCheck",
    "BookedAppointment",
    "BookedOperation",
    "Break",
    "Busy",
    "CheckFailure",
    "ConflictKind",
    "DayPlan",
    "DoctorAvailability",
    "DoctorHours",
    "DoctorSuggestions",
    "Interval",
    "IntervalSet",
    "OperationRequest",
    "PracticeHours",
    "SchedulingData",
    "Slot",
    "SourceModel",
    "SuggestRequest",
    "SuggestResult",
    "UnavailableReason",
    "Window",
    "absence_set",
    "alternatives",
    "availability_summary",
    "available_doctor_ids",
    "break_set",
    "busy_patient_ids",
    "busy_set",
    "check_appointment",
    "check_hours",
    "day_bounds",
    "day_segments",
    "expand_weekly",
    "find_conflicts",
    "free_room_ids",
    "has_hours_on",
    "local_date",
    "local_days",
    "local_to_utc",
    "normalise",
    "open_time",
    "plan_day",
    "round_up_to_grid",
    "scan_day",
    "scan_days",
    "slot_busy",
    "subtract",
    "suggest",
    "suggest_any_doctor",
    "suggest_operation_slots",
    "windows_on",
]
