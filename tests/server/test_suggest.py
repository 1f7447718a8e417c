"""Slot suggestions — ``GET /api/appointments/suggest/`` (spec 03 §9, README "Suggestions").

Every reference scenario of 03 §9.6, the validation order of §9.2, the response of §9.5,
horizon / fallback / ``any_doctor`` (§9.4), roles (rbac-appointments §4, §5) and audit
(01 §5.2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from server.bookings import scheduling_cache
from server.users.models import User
from tests.server.conftest import Users
from tests.server.planning_helpers import (
    BERLIN,
    DENIED,
    MONDAY,
    NEXT_MONDAY,
    NOW,
    OTHER_ROLES,
    Clinic,
    Headers,
    api_at,
    audit_actions,
    counting_queries,
    local,
)

URL = "/api/appointments/suggest/"


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


def suggest(api: TestClient, headers: Headers, **params: Any) -> dict[str, Any]:
    response = api.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def suggest_from(clinic: Clinic, headers: Headers, day: date, **params: Any) -> dict[str, Any]:
    """``suggest`` from ``day`` on."""
    return suggest(clinic.api, headers, start_date=day.isoformat(), **params)


def suggest_monday(clinic: Clinic, headers: Headers, **params: Any) -> dict[str, Any]:
    """``suggest`` from the Monday under test."""
    return suggest_from(clinic, headers, MONDAY, **params)


def times(suggestions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(s["start_time"], s["end_time"]) for s in suggestions]


def slot(start: tuple[int, int], end: tuple[int, int], day: date = MONDAY) -> tuple[str, str]:
    return local(*start, day=day), local(*end, day=day)


# --- 03 §9.6 reference scenarios -------------------------------------------------------------


def test_first_free_slot_follows_a_booking(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.practice_hours(8, 16)
    clinic.doctor_hours(doctor, 9, 12)
    clinic.book(doctor, (9, 0), (9, 30))
    type_id = clinic.appointment_type(minutes=30)

    body = suggest_monday(clinic, admin, doctor_id=doctor.id, type_id=type_id, limit=1)

    assert times(body["primary_suggestions"]) == [slot((9, 30), (10, 0))]
    assert body["primary_suggestions"][0]["type"]["id"] == type_id


def test_breaks_and_bookings_leave_the_afternoon_gap(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    clinic.break_(None, (12, 0), (13, 0))
    clinic.break_(doctor, (15, 0), (16, 0))
    clinic.book(doctor, (9, 0), (12, 0))
    clinic.book(doctor, (13, 0), (14, 0))
    type_id = clinic.appointment_type(minutes=30)

    body = suggest_monday(clinic, admin, doctor_id=doctor.id, type_id=type_id)

    assert times(body["primary_suggestions"]) == [slot((14, 0), (14, 30))]


@pytest.mark.parametrize(("now", "first"), [((15, 0), (15, 0)), ((15, 2), (15, 5))])
def test_today_starts_at_now_rounded_up_to_five_minutes(
    database_url: str,
    tmp_path: Path,
    users: Users,
    db: sessionmaker[Session],
    now: tuple[int, int],
    first: tuple[int, int],
) -> None:
    wednesday = date(2027, 1, 13)
    admin = users.headers(users.create("admin", "chef"))
    with api_at(database_url, tmp_path, datetime.combine(wednesday, time(*now), BERLIN)) as api:
        clinic = Clinic(db, users, api, admin)
        doctor = clinic.doctor("Anna", "Müller")
        clinic.hours(9, 17, doctor, weekday=wednesday.weekday())

        body = suggest(
            api, admin, doctor_id=doctor.id, duration_minutes=30, start_date=wednesday.isoformat()
        )

    end = datetime.combine(wednesday, time(*first)) + timedelta(minutes=30)
    assert times(body["primary_suggestions"]) == [
        slot(first, (end.hour, end.minute), day=wednesday)
    ]


def test_a_room_booked_by_another_doctor_blocks_its_time(clinic: Clinic, admin: Headers) -> None:
    doctor_a = clinic.doctor("Anna", "Müller")
    doctor_b = clinic.doctor("Bernd", "Schmidt")
    clinic.hours(10, 12, doctor_a, doctor_b)
    room = clinic.resource("Ultraschallraum", color="#6A5ACD")
    clinic.book(doctor_a, (10, 0), (10, 30), resource_ids=(room,))

    body = suggest_monday(
        clinic, admin, doctor_id=doctor_b.id, duration_minutes=30, resource_ids=str(room)
    )

    first = body["primary_suggestions"][0]
    assert (first["start_time"], first["end_time"]) == slot((10, 30), (11, 0))
    assert first["resource_ids"] == [room]
    assert first["resource_colors"] == ["#6A5ACD"]


def test_an_absent_doctor_gets_a_substitute(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session]
) -> None:
    doctor_a = clinic.doctor("Anna", "Müller")
    doctor_b = clinic.doctor("Bernd", "Schmidt", color="#00AA00")
    clinic.hours(9, 17, doctor_a, doctor_b)
    clinic.absence(doctor_a, MONDAY)

    body = suggest_monday(clinic, admin, doctor_id=doctor_a.id, duration_minutes=30)

    assert body["primary_suggestions"] == []
    substitute = body["fallback_suggestions"][0]
    assert substitute["doctor"] == {"id": doctor_b.id, "name": "Bernd Schmidt", "color": "#00AA00"}
    assert times(substitute["suggestions"])[0] == slot((9, 0), (9, 30))
    assert substitute["suggestions"][0]["doctor"]["id"] == doctor_b.id
    assert audit_actions(db) == ["appointment_suggest", "doctor_substitution_suggest"]


def test_a_doctor_may_not_ask_for_another_doctor(clinic: Clinic, users: Users) -> None:
    me = clinic.doctor("Anna", "Müller")
    other = clinic.doctor("Bernd", "Schmidt")
    response = clinic.api.get(
        URL, params={"doctor_id": other.id, "duration_minutes": 30}, headers=users.headers(me)
    )
    assert (response.status_code, response.json()) == (403, DENIED)


def test_billing_may_ask_for_any_doctor(clinic: Clinic, users: Users) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    billing = users.headers(users.create("billing"))

    one = suggest_monday(clinic, billing, doctor_id=doctor.id, duration_minutes=30)
    anyone = suggest_monday(clinic, billing, any_doctor="true", duration_minutes=30)

    assert times(one["primary_suggestions"]) == [slot((9, 0), (9, 30))]
    assert times(anyone["primary_suggestions"]) == [slot((9, 0), (9, 30))]


def test_days_scan_forward_and_limit_counts_across_them(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 10, doctor)
    type_id = clinic.appointment_type(minutes=30)

    body = suggest_monday(clinic, admin, doctor_id=doctor.id, type_id=type_id, days=8, limit=3)

    assert times(body["primary_suggestions"]) == [
        slot((9, 0), (9, 30)),
        slot((9, 30), (10, 0)),
        slot((9, 0), (9, 30), day=NEXT_MONDAY),
    ]


def test_any_doctor_merges_every_doctor_by_start_then_id(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session]
) -> None:
    doctor_7 = clinic.doctor("Anna", "Müller")
    doctor_8 = clinic.doctor("Bernd", "Schmidt")
    assert doctor_7.id < doctor_8.id
    clinic.hours(9, 17, doctor_7, doctor_8)
    clinic.book(doctor_7, (9, 0), (9, 30))

    body = suggest_monday(clinic, admin, any_doctor="true", duration_minutes=30, limit=2)

    assert body["primary_doctor"] is None
    assert [
        (s["doctor"]["id"], s["start_time"], s["end_time"]) for s in body["primary_suggestions"]
    ] == [
        (doctor_8.id, *slot((9, 0), (9, 30))),
        (doctor_7.id, *slot((9, 30), (10, 0))),
    ]
    assert body["fallback_suggestions"] == []
    assert audit_actions(db)[-1:] == ["appointment_suggest"]
    assert "doctor_substitution_suggest" not in audit_actions(db)


def test_a_doctor_may_not_use_any_doctor(clinic: Clinic, users: Users) -> None:
    me = clinic.doctor("Anna", "Müller")
    response = clinic.api.get(
        URL,
        params={"doctor_id": me.id, "any_doctor": "true", "duration_minutes": 30},
        headers=users.headers(me),
    )
    assert (response.status_code, response.json()) == (403, DENIED)


# --- response shape (03 §9.5) ----------------------------------------------------------------


def test_response_names_doctor_type_and_resources(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller", color="#123456")
    clinic.hours(9, 17, doctor)
    type_id = clinic.appointment_type("Kontrolle", minutes=20, color="#ABCDEF")
    device = clinic.resource("EKG", kind="device", color="#FF0000")
    room = clinic.resource("Raum 1", color="#00FF00")

    body = suggest_monday(
        clinic, admin, doctor_id=doctor.id, type_id=type_id, resource_ids=f"{room},{device},{room}"
    )

    doctor_ref = {"id": doctor.id, "name": "Anna Müller", "color": "#123456"}
    by_id = sorted([(device, "#FF0000"), (room, "#00FF00")])
    assert body == {
        "primary_doctor": doctor_ref,
        "primary_suggestions": [
            {
                "start_time": "2027-01-18T09:00:00+01:00",
                "end_time": "2027-01-18T09:20:00+01:00",
                "doctor": doctor_ref,
                "type": {"id": type_id, "name": "Kontrolle", "color": "#ABCDEF"},
                "doctor_color": "#123456",
                "type_color": "#ABCDEF",
                "resource_ids": [rid for rid, _ in by_id],
                "resource_colors": [color for _, color in by_id],
            }
        ],
        "fallback_suggestions": [],
    }


def test_without_type_and_resources(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    first = suggest_monday(clinic, admin, doctor_id=doctor.id, duration_minutes=30)[
        "primary_suggestions"
    ][0]
    assert (first["type"], first["type_color"]) == (None, None)
    assert (first["resource_ids"], first["resource_colors"]) == ([], [])


# --- algorithm details -------------------------------------------------------------------------


def test_several_slots_per_window_never_overlap(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 11, doctor)
    clinic.book(doctor, (9, 10), (9, 20))
    body = suggest_monday(clinic, admin, doctor_id=doctor.id, duration_minutes=25, limit=9)
    # Blocked at 09:00 → next grid point after the booking; each hit continues at its end;
    # the last slot may end exactly at closing time.
    assert times(body["primary_suggestions"]) == [
        slot((9, 20), (9, 45)),
        slot((9, 45), (10, 10)),
        slot((10, 10), (10, 35)),
        slot((10, 35), (11, 0)),
    ]


def test_cancelled_appointments_block_nothing(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    room = clinic.resource("Raum 1")
    clinic.book(doctor, (9, 0), (10, 0), resource_ids=(room,), status="cancelled")
    body = suggest_monday(
        clinic, admin, doctor_id=doctor.id, duration_minutes=30, resource_ids=str(room)
    )
    assert times(body["primary_suggestions"]) == [slot((9, 0), (9, 30))]


def test_no_slot_is_ever_in_the_past(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 10, doctor)  # NOW is Monday 2027-01-11 08:00
    last_monday = date(2027, 1, 4)

    past_only = suggest_from(clinic, admin, last_monday, doctor_id=doctor.id, duration_minutes=30)
    into_today = suggest_from(
        clinic, admin, last_monday, doctor_id=doctor.id, duration_minutes=30, days=8
    )

    assert past_only["primary_suggestions"] == []
    assert past_only["fallback_suggestions"] == []
    assert times(into_today["primary_suggestions"]) == [slot((9, 0), (9, 30), day=NOW.date())]


def test_default_start_date_is_today(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    body = suggest(clinic.api, admin, doctor_id=doctor.id, duration_minutes=30)
    assert times(body["primary_suggestions"]) == [slot((9, 0), (9, 30), day=NOW.date())]


def test_explicit_duration_overrides_the_type(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    type_id = clinic.appointment_type(minutes=30)
    body = suggest_monday(clinic, admin, doctor_id=doctor.id, type_id=type_id, duration_minutes=15)
    assert times(body["primary_suggestions"]) == [slot((9, 0), (9, 15))]


def test_limit_is_clamped_to_50(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(8, 18, doctor)  # 120 five-minute slots on a Monday
    body = suggest_monday(clinic, admin, doctor_id=doctor.id, duration_minutes=5, limit=500)
    assert len(body["primary_suggestions"]) == 50


def test_horizon_of_31_days_ends_before_day_32(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor, weekday=MONDAY.weekday())
    start = MONDAY + timedelta(days=1)  # a Tuesday: Mondays are at offsets 6, 13, 20, 27, 34 …
    body = suggest_from(
        clinic, admin, start, doctor_id=doctor.id, duration_minutes=480, days=99, limit=50
    )
    mondays = [s["start_time"][:10] for s in body["primary_suggestions"]]
    expected = [
        (start + timedelta(days=d)).isoformat()
        for d in range(31)
        if (start + timedelta(days=d)).weekday() == 0
    ]
    assert mondays == expected
    assert len(expected) == 4  # offset 34 lies beyond the 31 days that days=99 is clamped to


def test_fallback_only_when_primary_is_empty_and_ordered_by_first_slot(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session], users: Users
) -> None:
    doctor_a = clinic.doctor("Anna", "Müller")
    doctor_b = clinic.doctor("Bernd", "Schmidt")
    doctor_c = clinic.doctor("Clara", "Wagner")
    gone = clinic.doctor("Dora", "Alt", is_active=False)
    clinic.practice_hours(8, 18)
    clinic.doctor_hours(doctor_a, 8, 9)
    clinic.doctor_hours(doctor_b, 11, 12)
    clinic.doctor_hours(doctor_c, 10, 12)
    clinic.doctor_hours(gone, 8, 18)
    clinic.book(doctor_a, (8, 0), (9, 0))

    body = suggest_monday(clinic, admin, doctor_id=doctor_a.id, duration_minutes=30, limit=2)

    assert body["primary_doctor"]["id"] == doctor_a.id
    assert [(e["doctor"]["id"], times(e["suggestions"])) for e in body["fallback_suggestions"]] == [
        (doctor_c.id, [slot((10, 0), (10, 30)), slot((10, 30), (11, 0))]),
        (doctor_b.id, [slot((11, 0), (11, 30)), slot((11, 30), (12, 0))]),
    ]

    clinic.doctor_hours(doctor_a, 12, 13)
    again = suggest_monday(clinic, admin, doctor_id=doctor_a.id, duration_minutes=30)
    assert times(again["primary_suggestions"]) == [slot((12, 0), (12, 30))]
    assert again["fallback_suggestions"] == []
    assert audit_actions(db) == [
        "appointment_create",
        "appointment_suggest",
        "doctor_substitution_suggest",
        "appointment_suggest",
    ]


def test_no_substitution_audit_when_nobody_is_free(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session]
) -> None:
    doctor_a = clinic.doctor("Anna", "Müller")
    clinic.doctor("Bernd", "Schmidt")  # no hours at all
    body = suggest_monday(clinic, admin, doctor_id=doctor_a.id, duration_minutes=30)
    assert body == {
        "primary_doctor": {"id": doctor_a.id, "name": "Anna Müller", "color": "#1E90FF"},
        "primary_suggestions": [],
        "fallback_suggestions": [],
    }
    assert audit_actions(db) == ["appointment_suggest"]


def test_any_doctor_ignores_doctor_id_and_skips_inactive_doctors(
    clinic: Clinic, admin: Headers
) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    gone = clinic.doctor("Dora", "Alt", is_active=False)
    clinic.hours(9, 17, doctor, gone)
    body = suggest_monday(
        clinic, admin, any_doctor="TRUE", doctor_id="not-a-number", duration_minutes=30, limit=3
    )
    assert {s["doctor"]["id"] for s in body["primary_suggestions"]} == {doctor.id}


def test_query_count_does_not_grow_with_doctors_days_or_bookings(
    clinic: Clinic, admin: Headers
) -> None:
    doctors = [clinic.doctor(f"Dr{i}", f"Nummer{i}") for i in range(4)]
    clinic.hours(9, 17, *doctors)
    room = clinic.resource("Raum 1")

    def statements(**params: Any) -> int:
        # Counted on a cold scheduling cache: the loads are what must not grow.
        scheduling_cache.clear_everywhere()
        with counting_queries(clinic.api) as seen:
            suggest_monday(clinic, admin, duration_minutes=30, resource_ids=str(room), **params)
        return len(seen)

    statements(doctor_id=doctors[0].id)  # warm-up: a token's first request loads its user
    small = statements(doctor_id=doctors[0].id)
    for doctor in doctors:
        for hour in range(9, 17):
            clinic.book(doctor, (hour, 0), (hour + 1, 0), resource_ids=())
    assert statements(doctor_id=doctors[0].id, days=31, limit=50) == small
    assert statements(any_doctor="true", days=31, limit=50) == small


# --- validation (03 §9.2) ----------------------------------------------------------------------


@dataclass
class Fixture:
    doctor: User
    assistant: User
    retired: User
    type_id: int
    inactive_type_id: int
    untimed_type_id: int
    room: int
    inactive_room: int


@pytest.fixture
def setup(clinic: Clinic, users: Users) -> Fixture:
    return Fixture(
        doctor=clinic.doctor("Anna", "Müller"),
        assistant=users.create("assistant"),
        retired=clinic.doctor("Dora", "Alt", is_active=False),
        type_id=clinic.appointment_type(minutes=30),
        inactive_type_id=clinic.appointment_type("Alt", minutes=30, active=False),
        untimed_type_id=clinic.appointment_type("Offen", minutes=None),
        room=clinic.resource("Raum 1"),
        inactive_room=clinic.resource("Raum alt", active=False),
    )


Params = Callable[[Fixture], dict[str, Any]]
BIG = str(2**63)

VALIDATION: list[tuple[Params, str]] = [
    (lambda f: {"duration_minutes": 30}, "doctor_id query parameter is required."),
    (lambda f: {"doctor_id": "", "duration_minutes": 30}, "doctor_id query parameter is required."),
    (lambda f: {"doctor_id": "x", "type_id": "y"}, "doctor_id must be an integer."),
    (
        lambda f: {"doctor_id": BIG},
        "Ensure this value is less than or equal to 9223372036854775807.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "type_id": "y", "duration_minutes": "z"},
        "type_id must be an integer.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": "z", "start_date": "x"},
        "duration_minutes must be an integer.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "start_date": "2027-1-18", "limit": "x"},
        "start_date must be in format YYYY-MM-DD.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "start_date": "2027-02-30"},
        "start_date must be in format YYYY-MM-DD.",
    ),
    (lambda f: {"doctor_id": f.doctor.id, "limit": "x", "days": "y"}, "limit must be an integer."),
    (lambda f: {"doctor_id": f.doctor.id, "limit": 0, "days": "y"}, "limit must be >= 1."),
    (lambda f: {"doctor_id": f.doctor.id, "days": "y"}, "days must be an integer."),
    (lambda f: {"doctor_id": f.doctor.id, "days": -1}, "days must be >= 1."),
    (lambda f: {"doctor_id": 999999, "type_id": 999999}, "doctor_id not found."),
    (lambda f: {"doctor_id": 0}, "doctor_id not found."),
    (
        lambda f: {"doctor_id": f.assistant.id},
        'doctor_id must reference a user with role "doctor".',
    ),
    (lambda f: {"doctor_id": f.retired.id}, "doctor_id must reference an active doctor."),
    (lambda f: {"doctor_id": f.doctor.id, "type_id": 999999}, "type_id not found."),
    (
        lambda f: {"doctor_id": f.doctor.id, "type_id": BIG},
        "Ensure this value is less than or equal to 9223372036854775807.",
    ),
    (lambda f: {"doctor_id": f.doctor.id, "type_id": f.inactive_type_id}, "type_id is inactive."),
    (
        lambda f: {"doctor_id": f.doctor.id, "resource_ids": "x"},
        "duration_minutes is required when type_id is not provided.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "type_id": f.untimed_type_id},
        "AppointmentType.duration_minutes is not set; provide duration_minutes.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": 0, "resource_ids": "x"},
        "duration_minutes must be >= 1.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "type_id": f.type_id, "duration_minutes": -5},
        "duration_minutes must be >= 1.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": 1441},
        "Ensure this value is less than or equal to 1440.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": 30, "resource_ids": "1,x"},
        "resource_ids must be a comma-separated list of integers.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": 30, "resource_ids": "1;2"},
        "resource_ids must be a comma-separated list of integers.",
    ),
    (
        lambda f: {"doctor_id": f.doctor.id, "duration_minutes": 30, "resource_ids": "999999"},
        "resource_ids contains unknown or inactive resource(s).",
    ),
    (
        lambda f: {
            "doctor_id": f.doctor.id,
            "duration_minutes": 30,
            "resource_ids": f"{f.room},{f.inactive_room}",
        },
        "resource_ids contains unknown or inactive resource(s).",
    ),
    (
        lambda f: {
            "doctor_id": f.doctor.id,
            "duration_minutes": 30,
            "resource_ids": f"{f.room},{BIG}",
        },
        "resource_ids contains unknown or inactive resource(s).",
    ),
    (
        lambda f: {"any_doctor": "yes", "duration_minutes": 30},
        "doctor_id query parameter is required.",
    ),
    (lambda f: {"any_doctor": "true", "doctor_id": "x", "type_id": 999999}, "type_id not found."),
]


@pytest.mark.parametrize(("params", "detail"), VALIDATION)
def test_query_errors_in_contract_order(
    clinic: Clinic, admin: Headers, setup: Fixture, params: Params, detail: str
) -> None:
    response = clinic.api.get(URL, params=params(setup), headers=admin)
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_empty_parts_and_duplicates_of_resource_ids_are_ignored(
    clinic: Clinic, admin: Headers, setup: Fixture
) -> None:
    clinic.hours(9, 17, setup.doctor)
    body = suggest_monday(
        clinic,
        admin,
        doctor_id=setup.doctor.id,
        type_id="",
        duration_minutes=30,
        resource_ids=f",{setup.room}, ,{setup.room},",
        limit="",
        days="",
    )
    assert body["primary_suggestions"][0]["resource_ids"] == [setup.room]


# --- roles and methods (rbac-appointments §4, §5) ---------------------------------------------


@pytest.mark.parametrize("role", ["admin", "assistant", "billing"])
def test_core_roles_may_ask_for_any_doctor(
    clinic: Clinic, users: Users, setup: Fixture, role: str
) -> None:
    clinic.hours(9, 17, setup.doctor)
    headers = users.headers(users.create(role))
    body = suggest_monday(clinic, headers, doctor_id=setup.doctor.id, duration_minutes=30)
    assert times(body["primary_suggestions"]) == [slot((9, 0), (9, 30))]


def test_a_doctor_asks_for_themself(clinic: Clinic, users: Users, setup: Fixture) -> None:
    clinic.hours(9, 17, setup.doctor)
    body = suggest_monday(
        clinic, users.headers(setup.doctor), doctor_id=setup.doctor.id, duration_minutes=30
    )
    assert body["primary_doctor"]["id"] == setup.doctor.id


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"doctor_id": ""},
        {"doctor_id": "abc", "duration_minutes": "x"},
        {"doctor_id": "{me}", "any_doctor": "true"},
    ],
)
def test_a_doctor_is_refused_before_any_validation(
    clinic: Clinic, users: Users, setup: Fixture, params: dict[str, str]
) -> None:
    sent = {k: v.format(me=setup.doctor.id) for k, v in params.items()}
    response = clinic.api.get(URL, params=sent, headers=users.headers(setup.doctor))
    assert (response.status_code, response.json()) == (403, DENIED)


@pytest.mark.parametrize("caller", [*OTHER_ROLES, "none", "anon"])
def test_other_callers_are_refused(
    clinic: Clinic, users: Users, setup: Fixture, caller: str
) -> None:
    headers = (
        {}
        if caller == "anon"
        else users.headers(users.create(None if caller == "none" else caller))
    )
    response = clinic.api.get(
        URL, params={"doctor_id": setup.doctor.id, "duration_minutes": 30}, headers=headers
    )
    assert response.status_code == (401 if caller == "anon" else 403)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("caller", ["admin", "assistant", "doctor", "billing", "nurse", "none"])
def test_unsafe_methods_are_403_for_everyone(
    clinic: Clinic, users: Users, method: str, caller: str
) -> None:
    headers = users.headers(users.create(None if caller == "none" else caller))
    response = clinic.api.request(method, URL, headers=headers)
    assert (response.status_code, response.json()) == (403, DENIED)
    assert clinic.api.request(method, URL).status_code == 401


def test_refused_and_invalid_requests_write_no_audit(
    clinic: Clinic, users: Users, admin: Headers, setup: Fixture, db: sessionmaker[Session]
) -> None:
    clinic.api.get(URL, params={"doctor_id": "x"}, headers=admin)
    clinic.api.get(
        URL, params={"doctor_id": setup.assistant.id}, headers=users.headers(setup.doctor)
    )
    assert audit_actions(db) == []


def test_the_query_is_documented_in_the_openapi_schema(api: TestClient) -> None:
    operation = api.get("/api/schema/").json()["paths"][URL]["get"]
    assert [p["name"] for p in operation["parameters"]] == [
        "doctor_id",
        "type_id",
        "duration_minutes",
        "start_date",
        "limit",
        "days",
        "resource_ids",
        "any_doctor",
    ]


@pytest.mark.parametrize("start_date", ["0001-01-01", "9998-12-20", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_format_errors(
    clinic: Clinic, admin: Headers, start_date: str
) -> None:
    """Dates outside 1900–9000 are refused centrally (server/core/timefmt.py), never a 500."""
    doctor = clinic.doctor("Anna", "Müller")
    response = clinic.api.get(
        "/api/appointments/suggest/",
        params={"doctor_id": doctor.id, "duration_minutes": 30, "start_date": start_date},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "start_date must be in format YYYY-MM-DD."}
