"""Who and what is free — ``GET /api/availability/`` (spec 03 §8).

Doctors pass the hours, absence, break and busy checks for the whole range; rooms and
patients have no blocking booking in it; the excluded appointment counts as not existing;
``include_patients=false`` skips the patients; roles (rbac-appointments §4, §5), audit
(01 §5.2) and the set-based queries.
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from server.bookings import scheduling_cache
from server.users.models import User
from tests.server.conftest import Users
from tests.server.planning_helpers import (
    DENIED,
    MONDAY,
    OTHER_ROLES,
    Clinic,
    Headers,
    api_at,
    audit_actions,
    audit_rows,
    counting_queries,
    local,
)

URL = "/api/availability/"
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with api_at(database_url, tmp_path) as client:
        yield client


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


@pytest.fixture
def clinic(db: sessionmaker[Session], users: Users, api: TestClient, admin: Headers) -> Clinic:
    return Clinic(db, users, api, admin)


def available(
    api: TestClient, headers: Headers, start: str, end: str, **params: Any
) -> dict[str, Any]:
    response = api.get(URL, params={"start": start, "end": end, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


@dataclass
class Practice:
    busy: User  # booked 10:00–10:30 (patient 1001, room "Raum A")
    absent: User
    on_break: User  # own break 10:00–10:15
    free: User
    late: User  # works 11–17 only
    room_a: int
    room_b: int
    appointment_id: int


@pytest.fixture
def practice(clinic: Clinic) -> Practice:
    busy = clinic.doctor("Anna", "Müller", color="#111111")
    absent = clinic.doctor("Bernd", "Schmidt")
    on_break = clinic.doctor("Clara", "Wagner")
    free = clinic.doctor("Dirk", "Becker", color="#444444")
    late = clinic.doctor("Eva", "Fischer")
    clinic.doctor("Frank", "Alt", is_active=False)  # never listed
    clinic.practice_hours(8, 18)
    for doctor in (busy, absent, on_break, free):
        clinic.doctor_hours(doctor, 9, 17)
    clinic.doctor_hours(late, 11, 17)
    clinic.absence(absent, MONDAY)
    clinic.break_(on_break, (10, 0), (10, 15))
    room_b = clinic.resource("Raum B")
    room_a = clinic.resource("Raum A")
    clinic.resource("EKG", kind="device")
    clinic.resource("Raum alt", active=False)
    clinic.patient(1001, "Max", "Mustermann", date(1990, 5, 15))
    clinic.patient(1002, "Erika", "Mustermann", date(1985, 1, 2))
    clinic.patient(1003, "", "")
    clinic.patient(1004, "Karl", "Albers")
    appointment_id = clinic.book(busy, (10, 0), (10, 30), patient_id=1001, resource_ids=(room_a,))
    return Practice(busy, absent, on_break, free, late, room_a, room_b, appointment_id)


# --- what is free --------------------------------------------------------------------------


def test_free_doctors_rooms_and_patients(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    body = available(clinic.api, admin, local(10), local(10, 30))

    assert body == {
        "available_doctors": [
            {"id": practice.free.id, "name": "Dirk Becker", "calendar_color": "#444444"}
        ],
        "available_rooms": [{"id": practice.room_b, "name": "Raum B", "type": "room"}],
        "available_patients": [
            {"id": 1003, "first_name": "", "last_name": "", "display_name": "Patient #1003"},
            {
                "id": 1004,
                "first_name": "Karl",
                "last_name": "Albers",
                "display_name": "Albers, Karl",
            },
            {
                "id": 1002,
                "first_name": "Erika",
                "last_name": "Mustermann",
                "display_name": "Mustermann, Erika (02.01.1985)",
            },
        ],
    }


def test_touching_ranges_do_not_conflict(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    body = available(clinic.api, admin, local(10, 30), local(11))
    assert ids(body["available_doctors"]) == [
        practice.busy.id,
        practice.on_break.id,
        practice.free.id,
    ]
    assert ids(body["available_rooms"]) == [practice.room_a, practice.room_b]
    assert 1001 in ids(body["available_patients"])


def test_a_range_must_fit_one_working_window(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    late_start = available(clinic.api, admin, local(11), local(11, 30))
    across_start = available(clinic.api, admin, local(10, 45), local(11, 15))
    assert practice.late.id in ids(late_start["available_doctors"])
    assert practice.late.id not in ids(across_start["available_doctors"])


def test_the_excluded_appointment_counts_as_not_existing(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    body = available(
        clinic.api, admin, local(10), local(10, 30), exclude_appointment_id=practice.appointment_id
    )
    assert practice.busy.id in ids(body["available_doctors"])
    assert practice.room_a in ids(body["available_rooms"])
    assert 1001 in ids(body["available_patients"])


@pytest.mark.parametrize("value", ["abc", "", "1.5", "0", str(2**63)])
def test_invalid_exclude_ids_are_ignored(
    clinic: Clinic, admin: Headers, practice: Practice, value: str
) -> None:
    body = available(clinic.api, admin, local(10), local(10, 30), exclude_appointment_id=value)
    assert practice.busy.id not in ids(body["available_doctors"])


def test_cancelled_appointments_block_nothing(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    clinic.book(
        practice.free,
        (12, 0),
        (12, 30),
        patient_id=1004,
        resource_ids=(practice.room_b,),
        status="cancelled",
    )
    body = available(clinic.api, admin, local(12), local(12, 30))
    assert practice.free.id in ids(body["available_doctors"])
    assert practice.room_b in ids(body["available_rooms"])
    assert 1004 in ids(body["available_patients"])


def test_a_range_over_several_days_checks_every_day(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    clinic.doctor_hours(practice.free, 9, 17, weekday=TUESDAY.weekday())
    clinic.practice_hours(8, 18, weekday=TUESDAY.weekday())
    clinic.book(
        practice.free,
        (9, 0),
        (9, 30),
        day=TUESDAY,
        patient_id=1004,
        resource_ids=(practice.room_b,),
    )

    body = available(clinic.api, admin, local(16), local(10, day=TUESDAY))

    # No working window reaches midnight, so nobody is free across it.
    assert body["available_doctors"] == []
    # Rooms and patients are checked over the whole range: Tuesday's booking counts,
    # Monday morning's does not.
    assert ids(body["available_rooms"]) == [practice.room_a]
    assert ids(body["available_patients"]) == [1003, 1002, 1001]


def test_very_long_ranges_are_answered_quickly(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    began = clock.perf_counter()
    body = available(clinic.api, admin, "2020-01-01T00:00:00Z", "2999-12-31T00:00:00Z")
    assert clock.perf_counter() - began < 5
    assert body["available_doctors"] == []
    assert ids(body["available_rooms"]) == [practice.room_b]


# --- include_patients ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "listed"),
    [
        ("false", False),
        ("FALSE", False),
        ("true", True),
        ("no", True),
        ("", True),
    ],
)
def test_include_patients(
    clinic: Clinic, admin: Headers, practice: Practice, value: str, listed: bool
) -> None:
    body = available(clinic.api, admin, local(10), local(10, 30), include_patients=value)
    assert ("available_patients" in body) is listed
    assert set(body) >= {"available_doctors", "available_rooms"}


def test_without_patients_no_patient_is_read(
    clinic: Clinic, admin: Headers, practice: Practice
) -> None:
    with counting_queries(clinic.api) as seen:
        available(clinic.api, admin, local(10), local(10, 30), include_patients="false")
    assert not [sql for sql in seen if "FROM patients" in sql]


# --- parameters ----------------------------------------------------------------------------


def test_datetime_formats(clinic: Clinic, admin: Headers, practice: Practice) -> None:
    naive = available(clinic.api, admin, "2027-01-18T10:00", "2027-01-18T10:30:00")
    utc = available(clinic.api, admin, "2027-01-18T09:00:00Z", "2027-01-18T09:30:00Z")
    offset = available(clinic.api, admin, "2027-01-18T10:00:00+01:00", "2027-01-18T10:30+01:00")
    assert naive == utc == offset
    assert ids(naive["available_doctors"]) == [practice.free.id]


MISSING = "start and end query parameters are required (ISO datetime format)."


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({}, MISSING),
        ({"start": "2027-01-18T10:00"}, MISSING),
        ({"end": "2027-01-18T10:00"}, MISSING),
        ({"start": "", "end": "2027-01-18T10:00"}, MISSING),
        (
            {"start": "2027-01-18T10:00", "end": "2027-01-18T10:00"},
            "end_time must be after start_time",
        ),
        (
            {"start": "2027-01-18T10:00", "end": "2027-01-18T09:00"},
            "end_time must be after start_time",
        ),
    ],
)
def test_parameter_errors(
    clinic: Clinic, admin: Headers, params: dict[str, str], detail: str
) -> None:
    response = clinic.api.get(URL, params=params, headers=admin)
    assert (response.status_code, response.json()) == (400, {"detail": detail})


@pytest.mark.parametrize(
    "params",
    [
        {"start": "morgen", "end": "2027-01-18T10:00"},
        {"start": "2027-01-18T10:00", "end": "2027-01-18T10:30:00 01:00"},  # unencoded "+"
        {"start": "2027-02-30T10:00", "end": "2027-03-01T10:00"},
        {"start": "0001-12-31T23:59:59Z", "end": "2027-01-18T10:00"},
        {"start": "2027-01-18T10:00", "end": "9999-01-01T00:00:00Z"},
    ],
)
def test_unparsable_datetimes(clinic: Clinic, admin: Headers, params: dict[str, str]) -> None:
    response = clinic.api.get(URL, params=params, headers=admin)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid datetime format")


def test_a_local_time_skipped_by_dst_is_refused(clinic: Clinic, admin: Headers) -> None:
    response = clinic.api.get(
        URL, params={"start": "2027-03-28T02:30", "end": "2027-03-28T04:00"}, headers=admin
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Invalid datetime format: Invalid local time (daylight saving time change)."},
    )


# --- roles, methods, audit, queries --------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "assistant", "doctor", "billing"])
def test_core_roles_read_availability(clinic: Clinic, users: Users, role: str) -> None:
    headers = users.headers(users.create(role))
    body = available(clinic.api, headers, local(10), local(10, 30))
    assert set(body) == {"available_doctors", "available_rooms", "available_patients"}


@pytest.mark.parametrize("caller", [*OTHER_ROLES, "none", "anon"])
def test_other_callers_are_refused(clinic: Clinic, users: Users, caller: str) -> None:
    headers = (
        {}
        if caller == "anon"
        else users.headers(users.create(None if caller == "none" else caller))
    )
    response = clinic.api.get(URL, params={"start": local(10), "end": local(11)}, headers=headers)
    assert response.status_code == (401 if caller == "anon" else 403)
    if caller != "anon":
        assert response.json() == DENIED


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("admin", 405),
        ("assistant", 405),
        ("doctor", 405),
        ("billing", 405),
        ("lab", 403),
        ("none", 403),
    ],
)
def test_unsupported_methods(
    clinic: Clinic, users: Users, method: str, caller: str, status: int
) -> None:
    headers = users.headers(users.create(None if caller == "none" else caller))
    response = clinic.api.request(method, URL, headers=headers)
    expected = {"detail": f'Method "{method}" not allowed.'} if status == 405 else DENIED
    assert (response.status_code, response.json()) == (status, expected)


def test_audit_names_the_range(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session], practice: Practice
) -> None:
    before = len(audit_actions(db))
    available(clinic.api, admin, "2027-01-18T09:00:00Z", "2027-01-18T10:30")
    clinic.api.get(URL, params={"start": "x", "end": "y"}, headers=admin)
    rows = audit_rows(db, "availability_view")
    assert len(rows) == 1
    assert (rows[0].patient_id, rows[0].meta) == (
        None,
        {"start": "2027-01-18T10:00:00+01:00", "end": "2027-01-18T10:30:00+01:00"},
    )
    assert len(audit_actions(db)) == before + 1


def test_query_count_does_not_grow_with_doctors_rooms_or_patients(
    clinic: Clinic, admin: Headers
) -> None:
    def statements() -> int:
        # Counted on a cold scheduling cache: the loads are what must not grow.
        scheduling_cache.clear_everywhere()
        with counting_queries(clinic.api) as seen:
            available(clinic.api, admin, local(10), local(10, 30))
        return len(seen)

    first = clinic.doctor("Anna", "Müller")
    clinic.hours(8, 18, first)
    clinic.patient(1, "Max", "Mustermann")
    statements()  # warm-up: a token's first request loads its user (the principal cache)
    small = statements()
    for number in range(2, 8):
        doctor = clinic.doctor(f"Dr{number}", f"Nummer{number}")
        clinic.doctor_hours(doctor, 8, 18)
        room = clinic.resource(f"Raum {number}")
        for patient in range(number * 10, number * 10 + 5):
            clinic.patient(patient, "P", f"N{patient}")
        clinic.book(doctor, (10, 0), (10, 30), patient_id=number * 10, resource_ids=(room,))
    assert statements() == small


def test_instants_outside_the_supported_years_are_format_errors(
    clinic: Clinic, admin: Headers
) -> None:
    """Dates outside 1900–9000 are refused centrally (server/core/timefmt.py), never a 500."""
    for start, end in (
        ("0002-01-01T00:00:00Z", "0002-01-01T01:00:00Z"),
        ("9998-12-31T23:00:00Z", "9998-12-31T23:59:59Z"),
    ):
        response = clinic.api.get(
            "/api/availability/", params={"start": start, "end": end}, headers=admin
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Invalid datetime format")
