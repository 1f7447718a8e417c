"""Suggestions: the reference scenarios of spec 03 §9.6 and the algorithm's invariants."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import scheduling_strategies as strat
from hypothesis import given

from shared.domain.statuses import AppointmentStatus
from shared.scheduling.bookings import BookedAppointment, BookedOperation, SchedulingData
from shared.scheduling.hours import Absence, Break, DoctorHours, PracticeHours, windows_on
from shared.scheduling.intervals import Interval
from shared.scheduling.slots import Slot, scan_day, scan_days
from shared.scheduling.suggest import (
    Alternative,
    SuggestRequest,
    alternatives,
    suggest,
    suggest_any_doctor,
)
from shared.scheduling.wallclock import local_date, round_up_to_grid

BERLIN = strat.BERLIN
MONDAY = date(2026, 1, 19)
LAST_WEEK = datetime(2026, 1, 12, 8, 0, tzinfo=BERLIN)
HALF_HOUR = timedelta(minutes=30)
A, B = 7, 8


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def booked(
    appointment_id: int,
    doctor_id: int,
    start: tuple[int, int],
    end: tuple[int, int],
    *,
    day: date = MONDAY,
    resource_ids: frozenset[int] = frozenset(),
    status: AppointmentStatus = AppointmentStatus.SCHEDULED,
    patient_id: int = 1001,
) -> BookedAppointment:
    return BookedAppointment(
        id=appointment_id,
        doctor_id=doctor_id,
        patient_id=patient_id,
        interval=Interval(local(day, *start), local(day, *end)),
        status=status,
        resource_ids=resource_ids,
    )


def hours(weekday: int, start: int, end: int, *doctors: int) -> dict[str, tuple[object, ...]]:
    """Practice hours and the doctors' hours for the same weekday window."""
    return {
        "practice_hours": (PracticeHours(weekday, time(start), time(end), id=1),),
        "doctor_hours": tuple(
            DoctorHours(doctor, weekday, time(start), time(end), id=index)
            for index, doctor in enumerate(doctors, start=1)
        ),
    }


def as_local(slots: tuple[Slot, ...] | list[Slot]) -> list[tuple[int, str, str]]:
    return [
        (
            slot.doctor_id,
            slot.start.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M"),
            slot.end.astimezone(BERLIN).strftime("%H:%M"),
        )
        for slot in slots
    ]


def request(**changes: object) -> SuggestRequest:
    values: dict[str, object] = {"start_day": MONDAY, "duration": HALF_HOUR, "now": LAST_WEEK}
    values.update(changes)
    return SuggestRequest(**values)  # type: ignore[arg-type]


class TestReferenceScenarios:
    """03 §9.6, one test per row."""

    def test_first_slot_after_a_booking(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            practice_hours=(PracticeHours(0, time(8), time(16)),),
            doctor_hours=(DoctorHours(A, 0, time(9), time(12)),),
            appointments=(booked(1, A, (9, 0), (9, 30)),),
        )
        result = suggest(data, request(), doctor_id=A)
        assert as_local(result.primary) == [(A, "2026-01-19 09:30", "10:00")]

    def test_breaks_and_bookings_push_the_slot_to_the_afternoon(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, A),  # type: ignore[arg-type]
            breaks=(
                Break(None, MONDAY, time(12), time(13), id=1),
                Break(A, MONDAY, time(15), time(16), id=2),
            ),
            appointments=(booked(1, A, (9, 0), (12, 0)), booked(2, A, (13, 0), (14, 0))),
        )
        result = suggest(data, request(), doctor_id=A)
        assert as_local(result.primary) == [(A, "2026-01-19 14:00", "14:30")]

    def test_today_starts_at_now(self) -> None:
        data = SchedulingData(tz=BERLIN, **hours(0, 9, 17, A))  # type: ignore[arg-type]
        result = suggest(data, request(now=local(MONDAY, 15)), doctor_id=A)
        assert as_local(result.primary) == [(A, "2026-01-19 15:00", "15:30")]
        late = local(MONDAY, 15).replace(second=30)
        result = suggest(data, request(now=late), doctor_id=A)
        assert as_local(result.primary) == [(A, "2026-01-19 15:05", "15:35")]

    def test_a_room_booked_by_another_doctor_blocks_the_room(self) -> None:
        room = 4
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 10, 12, A, B),  # type: ignore[arg-type]
            appointments=(booked(1, A, (10, 0), (10, 30), resource_ids=frozenset({room})),),
        )
        with_room = suggest(data, request(resource_ids=frozenset({room})), doctor_id=B)
        assert as_local(with_room.primary) == [(B, "2026-01-19 10:30", "11:00")]
        without_room = suggest(data, request(), doctor_id=B)
        assert as_local(without_room.primary) == [(B, "2026-01-19 10:00", "10:30")]

    def test_an_absent_doctor_falls_back_to_a_colleague(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, A, B),  # type: ignore[arg-type]
            absences=(Absence(A, MONDAY, MONDAY),),
        )
        result = suggest(data, request(), doctor_id=A, other_doctor_ids=[B, A])
        assert result.primary == ()
        assert result.substituted
        (entry,) = result.fallback
        assert entry.doctor_id == B
        assert as_local(entry.slots) == [(B, "2026-01-19 09:00", "09:30")]

    def test_days_horizon_with_several_slots_per_window(self) -> None:
        data = SchedulingData(tz=BERLIN, **hours(0, 9, 10, A))  # type: ignore[arg-type]
        result = suggest(data, request(days=8, limit=3), doctor_id=A)
        assert as_local(result.primary) == [
            (A, "2026-01-19 09:00", "09:30"),
            (A, "2026-01-19 09:30", "10:00"),
            (A, "2026-01-26 09:00", "09:30"),
        ]

    def test_any_doctor_orders_by_start_then_doctor(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, A, B),  # type: ignore[arg-type]
            appointments=(booked(1, A, (9, 0), (9, 30)),),
        )
        slots = suggest_any_doctor(data, request(limit=2), [B, A])
        assert as_local(slots) == [
            (B, "2026-01-19 09:00", "09:30"),
            (A, "2026-01-19 09:30", "10:00"),
        ]


class TestSuggestRules:
    def test_cancelled_appointments_block_nothing(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, A),  # type: ignore[arg-type]
            appointments=(booked(1, A, (9, 0), (9, 30), status=AppointmentStatus.CANCELLED),),
        )
        assert as_local(suggest(data, request(), doctor_id=A).primary)[0][1].endswith("09:00")

    def test_operations_of_the_doctor_are_busy_time(self) -> None:
        operation = BookedOperation(
            id=12,
            patient_id=5,
            primary_surgeon_id=B,
            assistant_id=A,
            interval=Interval(local(MONDAY, 9), local(MONDAY, 10)),
        )
        data = SchedulingData(tz=BERLIN, **hours(0, 9, 17, A), operations=(operation,))  # type: ignore[arg-type]
        assert as_local(suggest(data, request(), doctor_id=A).primary) == [
            (A, "2026-01-19 10:00", "10:30")
        ]

    def test_a_past_start_date_yields_no_past_slots(self) -> None:
        data = SchedulingData(tz=BERLIN, **hours(0, 9, 17, A))  # type: ignore[arg-type]
        now = local(MONDAY + timedelta(days=1), 8)
        assert suggest(data, request(now=now), doctor_id=A).primary == ()
        later = suggest(data, request(now=now, days=8), doctor_id=A).primary
        assert as_local(later) == [(A, "2026-01-26 09:00", "09:30")]

    def test_without_fallback_when_the_doctor_has_slots(self) -> None:
        data = SchedulingData(tz=BERLIN, **hours(0, 9, 17, A, B))  # type: ignore[arg-type]
        result = suggest(data, request(), doctor_id=A, other_doctor_ids=[B])
        assert result.fallback == ()
        assert not result.substituted

    def test_fallback_is_ordered_by_first_slot_then_doctor_id(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, 1, 2, 3, 4),  # type: ignore[arg-type]
            absences=(Absence(1, MONDAY, MONDAY), Absence(4, MONDAY, MONDAY)),
            appointments=(booked(1, 2, (9, 0), (10, 0)),),
        )
        result = suggest(data, request(), doctor_id=1, other_doctor_ids=[4, 3, 2])
        assert [(e.doctor_id, as_local(e.slots)[0][1]) for e in result.fallback] == [
            (3, "2026-01-19 09:00"),
            (2, "2026-01-19 10:00"),
        ]

    def test_overlapping_windows_do_not_produce_duplicate_slots(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            practice_hours=(
                PracticeHours(0, time(9), time(10), id=1),
                PracticeHours(0, time(9), time(11), id=2),
            ),
            doctor_hours=(DoctorHours(A, 0, time(9), time(11)),),
        )
        slots = scan_day(data, A, MONDAY, HALF_HOUR, 10)
        assert as_local(slots) == [
            (A, f"2026-01-19 {start}", end)
            for start, end in [
                ("09:00", "09:30"),
                ("09:30", "10:00"),
                ("10:00", "10:30"),
                ("10:30", "11:00"),
            ]
        ]

    def test_a_window_over_the_skipped_hour_has_fewer_slots(self) -> None:
        sunday = date(2026, 3, 29)
        data = SchedulingData(tz=BERLIN, **hours(6, 1, 4, A))  # type: ignore[arg-type]
        slots = scan_day(data, A, sunday, timedelta(hours=1), 10)
        assert as_local(slots) == [
            (A, "2026-03-29 01:00", "03:00"),
            (A, "2026-03-29 03:00", "04:00"),
        ]

    def test_alternatives_name_the_first_free_slot_of_other_doctors(self) -> None:
        data = SchedulingData(
            tz=BERLIN,
            **hours(0, 9, 17, A, B, 9),  # type: ignore[arg-type]
            absences=(Absence(9, MONDAY, MONDAY + timedelta(days=40)),),
            appointments=(booked(1, B, (9, 0), (9, 20)),),
        )
        wanted = Interval(local(MONDAY, 11), local(MONDAY, 11, 20) + timedelta(seconds=1))
        found = alternatives(
            data, wanted, requested_doctor_id=A, doctor_ids=[9, B, A], now=LAST_WEEK
        )
        assert found == [Alternative(B, local(MONDAY, 9, 20))]


# -- properties ------------------------------------------------------------------------


def reference_scan(
    scenario: strat.Scenario, doctor_id: int, day: date, limit: int
) -> list[tuple[datetime, datetime]]:
    """A literal 5-minute-step transcription of 03 §9.3 to compare the sweep line with."""
    data, tz, duration = scenario.data, scenario.data.tz, scenario.duration
    practice = windows_on(day, data.practice_hours, tz)
    doctor = windows_on(day, data.hours_of(doctor_id), tz)
    if any(a.covers(day) for a in data.absences if a.doctor_id == doctor_id):
        return []
    busy = [
        b.interval
        for b in data.busy_for(
            doctor_id, resource_ids=scenario.resource_ids, include_absences=False
        )
    ]
    found: list[tuple[datetime, datetime]] = []
    for p, h in itertools.product(practice, doctor):
        start, end = max(p.start, h.start), min(p.end, h.end)
        if start >= end:
            continue
        candidate = round_up_to_grid(max(start, scenario.now), tz)
        while len(found) < limit and candidate + duration <= end:
            probe = Interval(candidate, candidate + duration)
            taken = [Interval(*slot) for slot in found]
            if any(probe.overlaps(item) for item in busy + taken):
                candidate += timedelta(minutes=5)
                continue
            found.append((probe.start, probe.end))
            candidate = round_up_to_grid(probe.end, tz)
    return sorted(found)


@strat.SETTINGS
@given(strat.scenarios())
def test_sweep_line_equals_the_literal_five_minute_scan(scenario: strat.Scenario) -> None:
    for offset in range(3):
        day = scenario.start_day + timedelta(days=offset)
        slots = scan_day(
            scenario.data,
            1,
            day,
            scenario.duration,
            50,
            not_before=scenario.now,
            resource_ids=scenario.resource_ids,
        )
        assert [(s.start, s.end) for s in slots] == reference_scan(scenario, 1, day, 50)


@strat.SETTINGS
@given(strat.scenarios())
def test_suggested_slots_are_free_inside_hours_sorted_and_distinct(
    scenario: strat.Scenario,
) -> None:
    data, tz = scenario.data, scenario.data.tz
    req = SuggestRequest(
        scenario.start_day,
        scenario.duration,
        scenario.now,
        limit=50,
        days=8,
        resource_ids=scenario.resource_ids,
    )
    slots = suggest(data, req, doctor_id=1).primary
    busy = data.busy_for(1, resource_ids=scenario.resource_ids)
    assert list(slots) == sorted(slots)
    for first, second in itertools.pairwise(slots):
        assert first.end <= second.start
    for slot in slots:
        interval = slot.interval
        day = local_date(slot.start, tz)
        assert interval.duration == scenario.duration
        assert slot.start >= scenario.now
        assert slot.start.astimezone(tz).minute % 5 == 0
        assert not any(item.interval.overlaps(interval) for item in busy)
        assert any(w.interval.contains(interval) for w in windows_on(day, data.practice_hours, tz))
        assert any(w.interval.contains(interval) for w in windows_on(day, data.hours_of(1), tz))
        assert scenario.start_day <= day < scenario.start_day + timedelta(days=8)


@strat.SETTINGS
@given(strat.scenarios())
def test_any_doctor_is_the_sorted_merge_of_each_doctor(scenario: strat.Scenario) -> None:
    req = SuggestRequest(scenario.start_day, scenario.duration, scenario.now, limit=4, days=3)
    merged = suggest_any_doctor(scenario.data, req, strat.DOCTORS)
    assert list(merged) == sorted(merged)
    assert len(set(merged)) == len(merged)
    each = sorted(
        slot
        for doctor in strat.DOCTORS
        for slot in scan_days(
            scenario.data, doctor, req.start_day, req.days, req.duration, req.limit, now=req.now
        )
    )
    assert list(merged) == each[: req.limit]


@strat.SETTINGS
@given(strat.scenarios())
def test_horizon_limit_counts_across_days(scenario: strat.Scenario) -> None:
    everything = scan_days(
        scenario.data, 1, scenario.start_day, 5, scenario.duration, 200, now=scenario.now
    )
    for limit in (1, 3):
        limited = scan_days(
            scenario.data, 1, scenario.start_day, 5, scenario.duration, limit, now=scenario.now
        )
        assert len(limited) == min(limit, len(everything))
        assert all(slot.start.tzinfo is UTC for slot in limited)
