"""Operation suggestions (04 §5.5)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import scheduling_strategies as strat
from hypothesis import given

from shared.scheduling.bookings import BookedOperation, SchedulingData
from shared.scheduling.hours import Absence, DoctorHours, PracticeHours
from shared.scheduling.intervals import Interval
from shared.scheduling.operations import OperationRequest, suggest_operation_slots

BERLIN = strat.BERLIN
MONDAY = date(2030, 1, 7)
ROOM, DEVICE = 5, 9
SURGEON_A, SURGEON_B, ASSISTANT = 11, 12, 13


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def clock(slots: list[Interval]) -> list[str]:
    return [
        f"{s.start.astimezone(BERLIN):%Y-%m-%d %H:%M}–{s.end.astimezone(BERLIN):%H:%M}"
        for s in slots
    ]


def planning_data(**extra: object) -> SchedulingData:
    values: dict[str, object] = {
        "tz": BERLIN,
        "practice_hours": (PracticeHours(0, time(10), time(12)),),
        "doctor_hours": tuple(
            DoctorHours(doctor, 0, time(10), time(12)) for doctor in (SURGEON_A, SURGEON_B)
        ),
        "operations": (
            BookedOperation(
                id=1,
                patient_id=50,
                primary_surgeon_id=SURGEON_A,
                interval=Interval(local(MONDAY, 10), local(MONDAY, 10, 50)),
                room_id=ROOM,
                device_ids=frozenset({DEVICE}),
            ),
        ),
    }
    values.update(extra)
    return SchedulingData(**values)  # type: ignore[arg-type]


def op_request(**changes: object) -> OperationRequest:
    values: dict[str, object] = {
        "patient_id": 60,
        "primary_surgeon_id": SURGEON_B,
        "room_id": ROOM,
        "device_ids": frozenset({DEVICE}),
        "duration": timedelta(minutes=50),  # type 10/30/10
        "start_day": MONDAY,
        "now": local(MONDAY - timedelta(days=3), 8),
        "limit": 1,
    }
    values.update(changes)
    return OperationRequest(**values)  # type: ignore[arg-type]


def test_reference_scenario_room_and_device_busy_until_10_50() -> None:
    assert clock(suggest_operation_slots(planning_data(), op_request())) == [
        "2030-01-07 10:50–11:40"
    ]


def test_one_suggestion_per_window_pair_and_day_over_the_horizon() -> None:
    slots = suggest_operation_slots(planning_data(), op_request(limit=3))
    assert clock(slots) == [
        "2030-01-07 10:50–11:40",
        "2030-01-14 10:00–10:50",
        "2030-01-21 10:00–10:50",
    ]


def test_every_team_member_needs_hours_and_must_be_present() -> None:
    data = planning_data()
    assert suggest_operation_slots(data, op_request(assistant_id=ASSISTANT)) == []
    with_hours = planning_data(
        doctor_hours=(*data.doctor_hours, DoctorHours(ASSISTANT, 0, time(11), time(12))),
        absences=(Absence(ASSISTANT, MONDAY, MONDAY),),
    )
    assert clock(suggest_operation_slots(with_hours, op_request(assistant_id=ASSISTANT))) == [
        "2030-01-14 11:00–11:50"
    ]


def test_the_patient_cannot_be_in_two_operations() -> None:
    data = planning_data()
    slots = suggest_operation_slots(data, op_request(patient_id=50, room_id=6, device_ids=()))
    assert clock(slots) == ["2030-01-07 10:50–11:40"]


@strat.SETTINGS
@given(strat.scenarios())
def test_operation_slots_are_free_and_in_hours(scenario: strat.Scenario) -> None:
    request = OperationRequest(
        patient_id=101,
        primary_surgeon_id=1,
        assistant_id=2,
        room_id=10,
        duration=scenario.duration,
        start_day=scenario.start_day,
        now=scenario.now,
        limit=5,
    )
    slots = suggest_operation_slots(scenario.data, request)
    assert slots == sorted(set(slots))
    busy = [
        *scenario.data.busy_for(None, patient_id=101, resource_ids=(10,)),
        *scenario.data.busy_for(1),
        *scenario.data.busy_for(2),
    ]
    for slot in slots:
        assert slot.start >= scenario.now
        assert not any(item.interval.overlaps(slot) for item in busy)
