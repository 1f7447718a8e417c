"""Chain suggestions (issue 17): every suggested chain keeps every gap and is free.

The oracle is independent of the search: gaps are recomputed here from the rule's words,
and each step is checked with the appointment checks 2h–2o (``check_appointment``) against
the data the search got plus the chain's earlier steps booked for the same patient.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st
from scheduling_strategies import BERLIN, DOCTORS, SETTINGS, Scenario, scenarios

from shared.scheduling import (
    BookedAppointment,
    ConflictKind,
    SchedulingData,
    busy_set,
    check_appointment,
    local_date,
)
from shared.scheduling.chains import (
    BookedTime,
    ChainSearch,
    ChainStep,
    GapKind,
    GapRule,
    GapUnit,
    Placement,
    StepProblem,
    suggest_chains,
    verify_chain,
)
from shared.scheduling.hours import DoctorHours, PracticeHours

PATIENT = 100


@st.composite
def gap_rules(draw: st.DrawFn) -> GapRule:
    kind = draw(st.sampled_from(GapKind))
    if kind is not GapKind.RANGE:
        return GapRule(kind)
    unit = draw(st.sampled_from(GapUnit))
    limit = {GapUnit.MINUTES: 240, GapUnit.HOURS: 30, GapUnit.DAYS: 4}[unit]
    low = draw(st.integers(0, limit))
    return GapRule(kind, low, draw(st.integers(low, limit)), unit)


@st.composite
def chain_steps(draw: st.DrawFn) -> tuple[ChainStep, ...]:
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        steps.append(
            ChainStep(
                duration=timedelta(minutes=draw(st.sampled_from((15, 30, 45, 90)))),
                doctor_ids=tuple(draw(st.sets(st.sampled_from(DOCTORS), min_size=1))),
                room_ids=tuple(draw(st.sets(st.sampled_from((10, 11)), max_size=2))),
                gap=draw(gap_rules()),
            )
        )
    return tuple(steps)


def _gap_kept(previous: Placement, current: Placement, gap: GapRule) -> bool:
    """The gap rule in its own words (module docstring of shared.scheduling.chains)."""
    if current.start < previous.end:
        return False
    previous_day = local_date(previous.start, BERLIN)
    day = local_date(current.start, BERLIN)
    if gap.kind is GapKind.SAME_DAY:
        return day == previous_day
    if gap.kind is GapKind.NEXT_WORKING_DAY:
        return day > previous_day  # the "first day with hours" part is checked below
    if gap.unit is GapUnit.DAYS:
        return gap.minimum <= (day - previous_day).days <= gap.maximum
    factor = 60 if gap.unit is GapUnit.HOURS else 1
    minutes = (current.start - previous.end) / timedelta(minutes=1)
    return gap.minimum * factor <= minutes <= gap.maximum * factor


def _assert_option_valid(
    scenario: Scenario, steps: tuple[ChainStep, ...], option: tuple[Placement, ...]
) -> None:
    data = scenario.data
    booked = list(data.appointments)
    for index, (step, placement) in enumerate(zip(steps, option, strict=True)):
        assert placement.start >= scenario.now
        assert placement.end - placement.start == step.duration
        assert placement.doctor_id in step.doctor_ids
        assert (placement.room_id in step.room_ids) if step.room_ids else placement.room_id is None
        if index:
            assert _gap_kept(option[index - 1], placement, step.gap), (index, step.gap)
        with_earlier = replace(data, appointments=tuple(booked))
        verdict = check_appointment(
            with_earlier,
            placement.interval,
            doctor_id=placement.doctor_id,
            patient_id=PATIENT,
            resource_ids=placement.all_resource_ids,
        )
        assert verdict.ok, (index, verdict.failure)
        booked.append(
            BookedAppointment(
                id=10_000 + index,
                doctor_id=placement.doctor_id,
                patient_id=PATIENT,
                interval=placement.interval,
                resource_ids=placement.all_resource_ids,
            )
        )


# Fewer examples than the folder's profile: each one runs two whole searches.
@settings(SETTINGS, max_examples=40)
@given(scenario=scenarios(), steps=chain_steps(), limit=st.integers(1, 4))
def test_every_suggested_chain_keeps_its_gaps_and_is_free(
    scenario: Scenario, steps: tuple[ChainStep, ...], limit: int
) -> None:
    search = ChainSearch(
        steps=steps,
        patient_id=PATIENT,
        first_day=scenario.start_day,
        not_before=scenario.now,
        horizon_days=7,
        limit=limit,
        max_nodes=400,
    )
    result = suggest_chains(scenario.data, search)
    event(f"options found: {bool(result.options)}")
    assert len(result.options) <= limit
    firsts = [option[0] for option in result.options]
    assert firsts == sorted(firsts)  # chronological by the first step
    assert len(set(firsts)) == len(firsts)  # options differ in their first step
    for option in result.options:
        _assert_option_valid(scenario, steps, option)
        assert verify_chain(scenario.data, steps, option, patient_id=PATIENT) is None
    # The server's way: hours from the data, booked time merged per subject (occupancies).
    assert suggest_chains(_without_bookings(scenario), search, booked=_booked(scenario)) == result


def _without_bookings(scenario: Scenario) -> SchedulingData:
    return replace(scenario.data, appointments=(), operations=())


def _booked(scenario: Scenario) -> BookedTime:
    data = scenario.data
    doctor_kinds = (ConflictKind.DOCTOR_APPOINTMENT, ConflictKind.DOCTOR_OPERATION)
    return BookedTime(
        doctors={d: busy_set(data.busy_for(d), *doctor_kinds) for d in DOCTORS},
        resources={r: busy_set(data.busy_for(None, resource_ids=(r,))) for r in (10, 11)},
        patient=busy_set(data.busy_for(None, patient_id=PATIENT)),
    )


# -- examples a practice would recognise ------------------------------------------------

MONDAY = date(2026, 6, 1)


def _weekday_data() -> tuple[tuple[PracticeHours, ...], tuple[DoctorHours, ...]]:
    practice = tuple(PracticeHours(d, time(8), time(18), id=d + 1) for d in range(5))
    hours = tuple(
        DoctorHours(doctor, d, time(8), time(18), id=10 * doctor + d)
        for doctor in DOCTORS
        for d in range(5)
    )
    return practice, hours


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


def test_a_day_surgery_chain_lands_on_working_days_with_its_gaps() -> None:
    from shared.scheduling import SchedulingData

    practice, hours = _weekday_data()
    data = SchedulingData(tz=BERLIN, practice_hours=practice, doctor_hours=hours)
    steps = (
        ChainStep(timedelta(minutes=30), (1,)),  # Vorgespräch
        ChainStep(timedelta(minutes=20), (2,), gap=GapRule(GapKind.SAME_DAY)),  # Aufklärung
        ChainStep(
            timedelta(minutes=90), (1,), room_ids=(10,), gap=GapRule(GapKind.NEXT_WORKING_DAY)
        ),  # OP
        ChainStep(timedelta(minutes=15), (1, 2), gap=GapRule(GapKind.RANGE, 10, 14, GapUnit.DAYS)),
    )
    friday = MONDAY + timedelta(days=4)
    result = suggest_chains(
        data,
        ChainSearch(steps, PATIENT, first_day=friday, not_before=_at(friday, 17, 0), limit=2),
    )
    first = result.options[0]
    assert first[0].start == _at(friday, 17, 0)
    assert first[1].start == _at(friday, 17, 30)
    assert local_date(first[2].start, BERLIN) == MONDAY + timedelta(days=7)  # next Monday
    assert (local_date(first[3].start, BERLIN) - MONDAY - timedelta(days=7)).days == 10


def test_a_chain_that_cannot_complete_gives_no_options_and_stays_bounded() -> None:
    from shared.scheduling import SchedulingData

    practice, hours = _weekday_data()
    data = SchedulingData(tz=BERLIN, practice_hours=practice, doctor_hours=hours)
    steps = (
        ChainStep(timedelta(minutes=30), (1,)),
        ChainStep(timedelta(minutes=30), (3,), gap=GapRule(GapKind.RANGE, 0, 2, GapUnit.DAYS)),
    )
    result = suggest_chains(
        data, ChainSearch(steps, PATIENT, first_day=MONDAY, not_before=_at(MONDAY, 0), limit=5)
    )
    assert result.options == ()
    assert result.nodes <= 4000


def test_verify_names_the_step_that_collides() -> None:
    from shared.scheduling import Interval, SchedulingData

    practice, hours = _weekday_data()
    steps = (
        ChainStep(timedelta(minutes=30), (1,)),
        ChainStep(timedelta(minutes=30), (2,), gap=GapRule(GapKind.RANGE, 0, 60)),
    )
    option = (
        Placement(_at(MONDAY, 9), _at(MONDAY, 9, 30), 1),
        Placement(_at(MONDAY, 10), _at(MONDAY, 10, 30), 2),
    )
    taken = BookedAppointment(7, 2, 555, Interval(_at(MONDAY, 10, 15), _at(MONDAY, 10, 45)))
    data = SchedulingData(BERLIN, practice, hours, appointments=(taken,))
    assert verify_chain(data, steps, option, patient_id=PATIENT) == (1, StepProblem.BUSY)
    late = (option[0], Placement(_at(MONDAY, 11), _at(MONDAY, 11, 30), 2))
    assert verify_chain(data, steps, late, patient_id=PATIENT) == (1, StepProblem.GAP)
