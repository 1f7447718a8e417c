"""Booking checks 2h–2o (03 §4.2), availability (§8) and the calendar summary (§12)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import scheduling_strategies as strat
from hypothesis import given

from shared.domain.statuses import AppointmentStatus, OperationStatus
from shared.scheduling.availability import (
    DoctorAvailability,
    UnavailableReason,
    availability_summary,
)
from shared.scheduling.bookings import (
    BookedAppointment,
    BookedOperation,
    ConflictKind,
    SchedulingData,
    find_conflicts,
)
from shared.scheduling.checks import (
    CheckFailure,
    available_doctor_ids,
    busy_patient_ids,
    check_appointment,
    free_room_ids,
)
from shared.scheduling.hours import Absence, Break, DoctorHours, PracticeHours
from shared.scheduling.intervals import Interval

BERLIN = strat.BERLIN
MONDAY = date(2026, 1, 19)
A, B = 7, 8
PATIENT = 1001
ROOM = 4


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def span(start: tuple[int, int], end: tuple[int, int], day: date = MONDAY) -> Interval:
    return Interval(local(day, *start), local(day, *end))


def practice(*windows: tuple[int, int], weekday: int = 0) -> tuple[PracticeHours, ...]:
    return tuple(
        PracticeHours(weekday, time(s), time(e), id=i) for i, (s, e) in enumerate(windows, 1)
    )


def doctor(doctor_id: int, start: int, end: int, weekday: int = 0) -> DoctorHours:
    return DoctorHours(doctor_id, weekday, time(start), time(end))


def monday_practice(**extra: object) -> SchedulingData:
    values: dict[str, object] = {
        "tz": BERLIN,
        "practice_hours": practice((8, 16)),
        "doctor_hours": (doctor(A, 8, 16), doctor(B, 8, 16)),
    }
    values.update(extra)
    return SchedulingData(**values)  # type: ignore[arg-type]


def appointment(
    appointment_id: int,
    interval: Interval,
    *,
    doctor_id: int = B,
    patient_id: int = 2002,
    resources: frozenset[int] = frozenset(),
    status: AppointmentStatus = AppointmentStatus.SCHEDULED,
) -> BookedAppointment:
    return BookedAppointment(appointment_id, doctor_id, patient_id, interval, status, resources)


def check(data: SchedulingData, interval: Interval, **kwargs: object) -> CheckFailure | None:
    options: dict[str, object] = {"doctor_id": A, "patient_id": PATIENT}
    options.update(kwargs)
    return check_appointment(data, interval, **options).failure  # type: ignore[arg-type]


class TestCheckAppointment:
    def test_hours_reasons(self) -> None:
        data = monday_practice()
        tuesday = MONDAY + timedelta(days=1)
        assert check(data, span((9, 0), (9, 30), tuesday)) is CheckFailure.NO_PRACTICE_HOURS
        assert check(data, span((15, 45), (16, 15))) is CheckFailure.OUTSIDE_PRACTICE_HOURS
        assert check(data, span((15, 30), (16, 0))) is None  # may end exactly at closing
        no_doctor = monday_practice(doctor_hours=(doctor(A, 8, 12, weekday=1),))
        assert check(no_doctor, span((9, 0), (9, 30))) is CheckFailure.NO_DOCTOR_HOURS
        short = monday_practice(doctor_hours=(doctor(A, 8, 12),))
        assert check(short, span((11, 45), (12, 15))) is CheckFailure.OUTSIDE_DOCTOR_HOURS

    def test_adjacent_windows_are_not_merged(self) -> None:
        data = monday_practice(practice_hours=practice((8, 12), (12, 16)))
        assert check(data, span((11, 30), (12, 30))) is CheckFailure.OUTSIDE_PRACTICE_HOURS
        assert check(data, span((11, 30), (12, 0))) is None

    def test_absence_then_break_then_doctor_busy(self) -> None:
        interval = span((10, 0), (10, 30))
        everything = monday_practice(
            absences=(Absence(A, MONDAY, MONDAY),),
            breaks=(Break(None, MONDAY, time(10), time(11)),),
            appointments=(appointment(1, span((10, 15), (10, 45)), doctor_id=A),),
        )
        assert check(everything, interval) is CheckFailure.ABSENCE
        no_absence = monday_practice(breaks=everything.breaks, appointments=everything.appointments)
        assert check(no_absence, interval) is CheckFailure.BREAK
        only_busy = monday_practice(appointments=everything.appointments)
        assert check(only_busy, interval) is CheckFailure.DOCTOR_BUSY
        other_doctors_break = monday_practice(breaks=(Break(B, MONDAY, time(10), time(11)),))
        assert check(other_doctors_break, interval) is None

    def test_resource_conflict_comes_before_patient_conflict(self) -> None:
        data = monday_practice(
            appointments=(
                appointment(1, span((10, 0), (10, 30)), resources=frozenset({ROOM})),
                appointment(2, span((10, 0), (10, 30)), patient_id=PATIENT),
            )
        )
        interval = span((10, 0), (10, 30))
        assert check(data, interval, resource_ids=[ROOM]) is CheckFailure.RESOURCE_CONFLICT
        assert check(data, interval) is CheckFailure.PATIENT_CONFLICT

    def test_same_doctor_and_patient_is_doctor_unavailable(self) -> None:
        data = monday_practice(
            appointments=(appointment(1, span((10, 0), (10, 30)), doctor_id=A, patient_id=PATIENT),)
        )
        result = check_appointment(data, span((10, 0), (10, 30)), doctor_id=A, patient_id=PATIENT)
        assert result.failure is CheckFailure.DOCTOR_BUSY
        assert result.failure.doctor_unavailable
        assert [c.source_id for c in result.conflicts] == [1]

    def test_self_and_cancelled_rows_never_conflict(self) -> None:
        data = monday_practice(
            appointments=(
                appointment(1, span((10, 0), (10, 30)), doctor_id=A),
                appointment(
                    2, span((10, 0), (10, 30)), doctor_id=A, status=AppointmentStatus.CANCELLED
                ),
            )
        )
        assert check(data, span((10, 0), (10, 30)), exclude_appointment_id=1) is None

    def test_operation_conflicts_list_doctor_before_patient_by_id(self) -> None:
        def operation(op_id: int, **team: object) -> BookedOperation:
            values: dict[str, object] = {
                "id": op_id,
                "patient_id": 3,
                "primary_surgeon_id": B,
                "interval": span((10, 0), (11, 0)),
            }
            values.update(team)
            return BookedOperation(**values)  # type: ignore[arg-type]

        data = monday_practice(
            operations=(
                operation(15, patient_id=PATIENT),
                operation(12, anesthesist_id=A),
                operation(9, assistant_id=A),
                operation(20, patient_id=PATIENT, status=OperationStatus.CANCELLED),
            )
        )
        result = check_appointment(data, span((10, 30), (11, 0)), doctor_id=A, patient_id=PATIENT)
        assert result.failure is CheckFailure.OPERATION_CONFLICT
        assert [(c.kind, c.source_id) for c in result.conflicts] == [
            (ConflictKind.DOCTOR_OPERATION, 9),
            (ConflictKind.DOCTOR_OPERATION, 12),
            (ConflictKind.PATIENT_OPERATION, 15),
        ]

    def test_operation_room_and_devices_block_resources(self) -> None:
        surgery = BookedOperation(
            id=1,
            patient_id=3,
            primary_surgeon_id=B,
            interval=span((10, 0), (11, 0)),
            room_id=ROOM,
            device_ids=frozenset({9}),
        )
        data = monday_practice(operations=(surgery,))
        interval = span((10, 30), (11, 0))
        assert check(data, interval, resource_ids=[ROOM]) is CheckFailure.RESOURCE_CONFLICT
        assert check(data, interval, resource_ids=[9]) is CheckFailure.RESOURCE_CONFLICT
        assert check(data, interval, resource_ids=[5]) is None


class TestAvailability:
    def test_doctors_rooms_and_patients(self) -> None:
        data = monday_practice(
            doctor_hours=(doctor(A, 8, 16), doctor(B, 8, 16), doctor(9, 12, 16)),
            appointments=(
                appointment(1, span((10, 0), (10, 30)), resources=frozenset({ROOM})),
                appointment(
                    2,
                    span((10, 0), (10, 30)),
                    doctor_id=A,
                    patient_id=5,
                    status=AppointmentStatus.CANCELLED,
                ),
            ),
        )
        interval = span((10, 0), (11, 0))
        assert available_doctor_ids(data, [9, B, A], interval) == [A]
        assert available_doctor_ids(data, [B], interval, exclude_appointment_id=1) == [B]
        assert free_room_ids(data, [ROOM, 5], interval) == [5]
        assert busy_patient_ids(data, interval) == frozenset({2002})

    def test_a_range_over_midnight_is_checked_per_day(self) -> None:
        every_day = tuple(PracticeHours(d, time(0), time(23, 59, 59, 999999)) for d in range(7))
        hours = tuple(DoctorHours(A, d, time(0), time(23, 59, 59, 999999)) for d in range(7))
        data = SchedulingData(tz=BERLIN, practice_hours=every_day, doctor_hours=hours)
        over_midnight = Interval(local(MONDAY, 23), local(MONDAY + timedelta(days=1), 1))
        assert available_doctor_ids(data, [A], over_midnight) == []
        assert available_doctor_ids(data, [A], span((22, 0), (23, 0))) == [A]


class TestAvailabilitySummary:
    def test_reference_scenario_of_03_section_12(self) -> None:
        friday = date(2025, 1, 10)
        dr_a, dr_b, dr_c, dr_d, dr_e = 1, 2, 3, 4, 5
        data = SchedulingData(
            tz=BERLIN,
            practice_hours=practice((9, 17), weekday=4),
            doctor_hours=(
                doctor(dr_a, 9, 17, weekday=4),
                doctor(dr_b, 12, 13, weekday=4),
                DoctorHours(dr_d, 4, time(10), time(10, 30)),
                doctor(dr_e, 9, 17, weekday=4),
            ),
            absences=(Absence(dr_a, friday, friday),),
            breaks=(Break(dr_b, friday, time(12), time(13)),),
            appointments=(BookedAppointment(1, dr_d, 77, span((10, 0), (10, 30), friday)),),
        )
        now = local(date(2026, 1, 19), 9)  # the original test's date lies in the past
        summary = availability_summary(
            data, [dr_e, dr_d, dr_c, dr_b, dr_a], friday, friday, today=now.date(), now=now
        )
        assert summary == [
            DoctorAvailability(dr_a, False, UnavailableReason.ABSENCE),
            DoctorAvailability(dr_b, False, UnavailableReason.BREAK),
            DoctorAvailability(dr_c, False, UnavailableReason.NO_HOURS),
            DoctorAvailability(dr_d, False, UnavailableReason.BUSY),
            DoctorAvailability(dr_e, True, None),
        ]

    def test_now_clips_only_a_range_starting_today(self) -> None:
        data = monday_practice()
        late = local(MONDAY, 15, 45)
        today_only = availability_summary(data, [A], MONDAY, MONDAY, today=MONDAY, now=late)
        assert today_only == [DoctorAvailability(A, False, UnavailableReason.BUSY)]
        week = availability_summary(
            data, [A], MONDAY - timedelta(days=7), MONDAY, today=MONDAY, now=late
        )
        assert week == [DoctorAvailability(A, True, None)]


@strat.SETTINGS
@given(strat.scenarios())
def test_conflicts_are_exactly_the_overlapping_busy_items_in_check_order(
    scenario: strat.Scenario,
) -> None:
    data = scenario.data
    busy = data.busy_for(1, patient_id=101, resource_ids=scenario.resource_ids)
    probe = Interval(scenario.now, scenario.now + scenario.duration)
    found = find_conflicts(probe, busy)
    assert {id(item) for item in found} == {id(b) for b in busy if b.interval.overlaps(probe)}
    assert [item.sort_key for item in found] == sorted(item.sort_key for item in found)
    cancelled = {a.id for a in data.appointments if a.status == AppointmentStatus.CANCELLED}
    assert not any(
        item.source_id in cancelled
        for item in busy
        if item.kind in {ConflictKind.DOCTOR_APPOINTMENT, ConflictKind.PATIENT_APPOINTMENT}
    )
