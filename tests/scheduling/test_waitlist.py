"""Waiting-list matching (shared/scheduling/waitlist.py): properties over random calendars.

Every candidate must be bookable under the booking checks and meet the entry's wishes; an
entry is missing only when no 5-minute grid start in the freed period would do (compared
with a brute-force scan); the first fit is the earliest; the order is urgent → longest
waiting → id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st
from scheduling_strategies import BERLIN, SETTINGS

from shared.domain.statuses import AppointmentStatus
from shared.scheduling import (
    BookedAppointment,
    DoctorHours,
    Interval,
    PracticeHours,
    SchedulingData,
    check_appointment,
    local_to_utc,
)
from shared.scheduling.waitlist import (
    TimeWindow,
    WaitingEntry,
    fits_entry,
    match,
    rank_key,
)

MONDAY = date(2026, 6, 1)  # no DST change in this week
DOCTORS = (1, 2)
NOW = local_to_utc(MONDAY, time(7, 0), BERLIN)


def _hours() -> tuple[tuple[PracticeHours, ...], tuple[DoctorHours, ...]]:
    practice = tuple(
        PracticeHours(weekday=d, start_time=time(8), end_time=time(18), id=d + 1) for d in range(5)
    )
    doctors = tuple(
        DoctorHours(doctor_id=doc, weekday=d, start_time=time(8 + doc), end_time=time(17), id=i)
        for i, (doc, d) in enumerate((doc, d) for doc in DOCTORS for d in range(5))
    )
    return practice, doctors


@st.composite
def appointments(draw: st.DrawFn) -> tuple[BookedAppointment, ...]:
    rows = []
    for index in range(draw(st.integers(0, 12))):
        day = MONDAY + timedelta(days=draw(st.integers(0, 2)))
        start = local_to_utc(day, time(8), BERLIN) + timedelta(
            minutes=5 * draw(st.integers(0, 110))
        )
        rows.append(
            BookedAppointment(
                id=index + 1,
                doctor_id=draw(st.sampled_from(DOCTORS)),
                patient_id=draw(st.integers(100, 104)),
                interval=Interval(start, start + timedelta(minutes=5 * draw(st.integers(1, 12)))),
                status=draw(
                    st.sampled_from([AppointmentStatus.SCHEDULED, AppointmentStatus.CANCELLED])
                ),
            )
        )
    return tuple(rows)


@st.composite
def entries(draw: st.DrawFn) -> list[WaitingEntry]:
    result = []
    for index in range(draw(st.integers(1, 6))):
        windows = []
        for _ in range(draw(st.integers(0, 2))):
            first = draw(st.integers(7 * 4, 18 * 4))
            last = draw(st.integers(first + 1, 19 * 4))
            windows.append(
                TimeWindow(
                    draw(st.integers(0, 3)),
                    time(first // 4, first % 4 * 15),
                    time(last // 4, last % 4 * 15),
                )
            )
        earliest = draw(st.none() | st.just(MONDAY + timedelta(days=draw(st.integers(0, 2)))))
        latest = draw(st.none() | st.just(MONDAY + timedelta(days=draw(st.integers(0, 3)))))
        result.append(
            WaitingEntry(
                id=index + 1,
                patient_id=draw(st.integers(100, 106)),
                duration=timedelta(minutes=5 * draw(st.integers(2, 9))),
                waiting_since=datetime(2026, 5, draw(st.integers(1, 3)), tzinfo=UTC),
                urgent=draw(st.booleans()),
                doctor_ids=frozenset(draw(st.sets(st.sampled_from((*DOCTORS, 3)), max_size=2))),
                earliest=earliest,
                latest=latest,
                windows=tuple(windows),
            )
        )
    return result


@st.composite
def periods(draw: st.DrawFn) -> Interval:
    day = MONDAY + timedelta(days=draw(st.integers(0, 2)))
    start = local_to_utc(day, time(7), BERLIN) + timedelta(minutes=5 * draw(st.integers(0, 130)))
    return Interval(start, start + timedelta(minutes=5 * draw(st.integers(1, 36))))


def _data(booked: tuple[BookedAppointment, ...]) -> SchedulingData:
    practice, doctors = _hours()
    return SchedulingData(
        tz=BERLIN, practice_hours=practice, doctor_hours=doctors, appointments=booked
    )


def _brute_first(
    data: SchedulingData, entry: WaitingEntry, doctor: int, period: Interval, now: datetime
) -> Interval | None:
    """Every 5-minute local grid start in the period, the slow way."""
    start = period.start
    while start + entry.duration <= period.end:
        probe = Interval(start, start + entry.duration)
        if (
            start >= now
            and start.astimezone(BERLIN).minute % 5 == 0
            and fits_entry(entry, probe, doctor, BERLIN)
            and check_appointment(data, probe, doctor_id=doctor, patient_id=entry.patient_id).ok
        ):
            return probe
        start += timedelta(minutes=1)
    return None


@SETTINGS
@given(appointments(), entries(), periods(), st.sets(st.sampled_from(DOCTORS), min_size=1))
def test_candidates_are_bookable_complete_earliest_and_ranked(
    booked: tuple[BookedAppointment, ...],
    waiting: list[WaitingEntry],
    period: Interval,
    doctors: set[int],
) -> None:
    data = _data(booked)
    found = match(data, waiting, period, sorted(doctors), now=NOW)
    by_entry = {c.entry.id: c for c in found}
    assert len(by_entry) == len(found)  # one candidate per entry
    for candidate in found:
        assert candidate.doctor_id in doctors
        assert period.contains(candidate.interval)
        assert candidate.interval.start >= NOW
        assert fits_entry(candidate.entry, candidate.interval, candidate.doctor_id, BERLIN)
        assert check_appointment(
            data,
            candidate.interval,
            doctor_id=candidate.doctor_id,
            patient_id=candidate.entry.patient_id,
        ).ok
    for entry in waiting:
        brute = [
            (fit.start, doctor)
            for doctor in sorted(doctors)
            if (fit := _brute_first(data, entry, doctor, period, NOW)) is not None
        ]
        if not brute:
            assert entry.id not in by_entry  # misfit windows / doctors are never offered
        else:
            candidate = by_entry[entry.id]
            assert (candidate.interval.start, candidate.doctor_id) == min(brute)
    assert [c.rank for c in found] == list(range(1, len(found) + 1))
    keys = [rank_key(c.entry) for c in found]
    assert keys == sorted(keys)


def test_urgent_first_then_longest_waiting_and_misfits_left_out() -> None:
    data = _data(())
    period = Interval(
        local_to_utc(MONDAY, time(10), BERLIN), local_to_utc(MONDAY, time(10, 30), BERLIN)
    )
    since = datetime(2026, 5, 1, tzinfo=UTC)

    def entry(entry_id: int, **fields: object) -> WaitingEntry:
        values: dict[str, object] = {
            "id": entry_id,
            "patient_id": 100 + entry_id,
            "duration": timedelta(minutes=30),
            "waiting_since": since + timedelta(days=entry_id),
        }
        values.update(fields)
        return WaitingEntry(**values)  # type: ignore[arg-type]

    old_normal = entry(1)
    new_urgent = entry(2, urgent=True)
    other_doctor = entry(3, doctor_ids=frozenset({2}))
    tuesday_only = entry(4, windows=(TimeWindow(1, time(8), time(12)),))
    afternoon_only = entry(5, windows=(TimeWindow(0, time(13), time(17)),))
    too_long = entry(6, duration=timedelta(minutes=45))
    found = match(
        data,
        [old_normal, new_urgent, other_doctor, tuesday_only, afternoon_only, too_long],
        period,
        [1],
        now=NOW,
    )
    assert [c.entry.id for c in found] == [2, 1]
    assert all(c.interval == period for c in found)
