"""Appointments (spec 03 §2, §4–§6): representation, the validation pipeline in its order,
update rules, list/retrieve/delete/no-show, dry run, roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.master_data.models import AppointmentType, Resource
from server.users.models import User
from server.working_hours.models import DoctorAbsence, DoctorBreak, PracticeHours
from tests.server import scheduling_fixtures
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.scheduling_fixtures import MONDAY, NOW, Headers, Practice, at

# Shared with the operation tests (``scheduling_fixtures``): the practice, a client at
# the fixed "now", an admin.
practice = scheduling_fixtures.appointment_practice
api = scheduling_fixtures.api
admin = scheduling_fixtures.admin


@pytest.fixture
def room_booked(api: TestClient, admin: Headers, practice: Practice) -> dict[str, Any]:
    """The practice's default appointment (Monday 10:00–10:30) with the ultrasound room."""
    return book(api, admin, practice.body(resource_ids=[practice.room_id]))


def book(api: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/appointments/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- representation ---------------------------------------------------------------------


@pytest.mark.external_postgres
def test_create_returns_the_full_read_representation(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    body = book(
        api,
        admin,
        practice.body(
            resource_ids=[practice.room_id, practice.device_id, practice.room_id], notes="Nüchtern"
        ),
    )
    assert body["patient_name"] == "Mustermann, Max (15.05.1990)"
    assert body["type"] == {"id": practice.type_id, "name": "Kontrolle", "color": "#ABCDEF"}
    assert body["doctor"] == practice.doctor.id
    assert body["doctor_name"] == "Anna Müller"
    # Devices before rooms (ordered by type, name, id), duplicates removed.
    assert [r["name"] for r in body["resources"]] == ["EKG", "Ultraschallraum"]
    assert set(body["resources"][0]) == scheduling_fixtures.RESOURCE_KEYS
    assert body["room_name"] == "Ultraschallraum"
    assert body["resource_names"] == ["EKG"]
    assert body["appointment_color"] == "#ABCDEF"
    assert body["doctor_color"] == "#123456"
    assert body["start_time"] == "2027-01-18T10:00:00+01:00"
    assert body["end_time"] == "2027-01-18T10:30:00+01:00"
    assert (body["status"], body["is_no_show"], body["notes"]) == ("scheduled", False, "Nüchtern")
    with db() as session:
        row = session.scalars(select(AuditLog)).one()
    assert (row.action, row.patient_id) == ("appointment_create", practice.patient_id)


def test_unknown_patient_and_inactive_resources_in_representation(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    body = book(
        api, admin, practice.body(patient_id=4242, type=None, resource_ids=[practice.room_id])
    )
    assert body["patient_name"] == "Patient #4242"
    assert body["type"] is None
    assert body["appointment_color"] is None
    with db() as session, session.begin():
        session.get(Resource, practice.room_id).active = False  # type: ignore[union-attr]
    again = api.get(f"/api/appointments/{body['id']}/", headers=admin).json()
    assert [r["id"] for r in again["resources"]] == [practice.room_id]
    assert again["room_name"] is None


def test_naive_datetimes_are_practice_local(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    body = book(
        api, admin, practice.body(start_time="2027-01-18T10:00", end_time="2027-01-18T09:30:00Z")
    )
    assert body["start_time"] == "2027-01-18T10:00:00+01:00"
    assert body["end_time"] == "2027-01-18T10:30:00+01:00"


# --- stage 1 ----------------------------------------------------------------------------


def test_stage_one_reports_every_bad_field(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    response = api.post(
        "/api/appointments/",
        json={
            "patient_id": "x",
            "doctor": 999999,
            "type": 888888,
            "resource_ids": "1,2",
            "start_time": "morgen",
            "status": "geplant",
        },
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {
        "patient_id": ["A valid integer is required."],
        "doctor": ['Invalid pk "999999" - object does not exist.'],
        "type": ['Invalid pk "888888" - object does not exist.'],
        "resource_ids": ['Expected a list of items but got type "str".'],
        "start_time": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ],
        "end_time": ["This field is required."],
        "status": ['"geplant" is not a valid choice.'],
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"patient_id": 0}, {"patient_id": ["patient_id muss positiv sein."]}),
        (
            {"patient_id": 2**63},
            {"patient_id": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
        ({"resource_ids": [1, "x"]}, {"resource_ids": {"1": ["A valid integer is required."]}}),
        (
            {"start_time": "2027-03-28T02:30"},
            {"start_time": ["Invalid local time (daylight saving time change)."]},
        ),
        ({"notes": "a\u0000b"}, {"notes": ["Null characters are not allowed."]}),
    ],
)
def test_stage_one_field_rules(
    api: TestClient, admin: Headers, practice: Practice, change: dict, expected: dict
) -> None:
    response = api.post("/api/appointments/", json=practice.body(**change), headers=admin)
    assert response.status_code == 400
    assert response.json() == expected


# --- stage 2: object checks 2a–2g --------------------------------------------------------


def test_2a_end_after_start(api: TestClient, admin: Headers, practice: Practice) -> None:
    response = api.post("/api/appointments/", json=practice.body(end_time=at(10)), headers=admin)
    assert response.json() == {"end_time": ["Endzeit muss nach der Startzeit liegen."]}


def test_2b_same_local_day(api: TestClient, admin: Headers, practice: Practice) -> None:
    response = api.post(
        "/api/appointments/",
        json=practice.body(start_time=at(10), end_time=at(9, day=date(2027, 1, 19))),
        headers=admin,
    )
    assert response.json() == {"end_time": ["Termin muss am selben Tag enden."]}


def test_2c_doctor_must_have_doctor_role(
    api: TestClient, admin: Headers, practice: Practice, users: Users
) -> None:
    assistant = users.create("assistant")
    response = api.post(
        "/api/appointments/", json=practice.body(doctor=assistant.id), headers=admin
    )
    assert response.json() == {"doctor": ['Der Arzt muss die Rolle "doctor" haben.']}


def test_2d_doctor_books_only_for_self_with_400(
    api: TestClient, practice: Practice, users: Users
) -> None:
    headers = users.headers(practice.doctor)
    response = api.post(
        "/api/appointments/", json=practice.body(doctor=practice.other_doctor.id), headers=headers
    )
    assert response.status_code == 400
    assert response.json() == {"doctor": ["Ärzte dürfen nur eigene Termine anlegen/ändern."]}
    assert api.post("/api/appointments/", json=practice.body(), headers=headers).status_code == 201


def test_2e_inactive_type(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.get(AppointmentType, practice.type_id).active = False  # type: ignore[union-attr]
    response = api.post("/api/appointments/", json=practice.body(), headers=admin)
    assert response.json() == {"type": ["Terminart ist inaktiv."]}


def test_2f_unknown_or_inactive_resources(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    expected = {"resource_ids": ["resource_ids enthält unbekannte oder inaktive Ressource(n)."]}
    response = api.post(
        "/api/appointments/", json=practice.body(resource_ids=[999999]), headers=admin
    )
    assert response.json() == expected
    with db() as session, session.begin():
        session.get(Resource, practice.room_id).active = False  # type: ignore[union-attr]
    response = api.post(
        "/api/appointments/", json=practice.body(resource_ids=[practice.room_id]), headers=admin
    )
    assert response.json() == expected


def test_2g_inactive_doctor(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.get(User, practice.doctor.id).is_active = False  # type: ignore[union-attr]
    response = api.post("/api/appointments/", json=practice.body(), headers=admin)
    assert response.json() == {
        "detail": f"Doctor with ID {practice.doctor.id} not found or inactive",
        "field": "doctor_id",
    }


# --- stage 2: scheduling checks 2h–2o -------------------------------------------------------


def unavailable(api: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/appointments/", json=body, headers=headers)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["detail"] == ["Doctor unavailable."]
    return payload


def test_2h_practice_hours(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    saturday = date(2027, 1, 23)
    payload = unavailable(
        api,
        admin,
        practice.body(start_time=at(10, day=saturday), end_time=at(10, 30, day=saturday)),
    )
    assert payload["reason"] == ["no_practice_hours"]
    payload = unavailable(api, admin, practice.body(start_time=at(17, 45), end_time=at(18, 15)))
    assert payload["reason"] == ["outside_practice_hours"]
    # Windows are not merged: 08–12 and 12–18 do not admit 11:30–12:30.
    with db() as session, session.begin():
        for row in session.scalars(select(PracticeHours).where(PracticeHours.weekday == 0)):
            row.end_time = time(12)
        session.add(PracticeHours(weekday=0, start_time=time(12), end_time=time(18)))
    payload = unavailable(api, admin, practice.body(start_time=at(11, 30), end_time=at(12, 30)))
    assert payload["reason"] == ["outside_practice_hours"]
    # An appointment may end exactly at closing time.
    book(api, admin, practice.body(start_time=at(11, 30), end_time=at(12)))


def test_2i_doctor_hours_with_alternatives(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    payload = unavailable(api, admin, practice.body(start_time=at(8), end_time=at(8, 30)))
    assert payload == {
        "detail": ["Doctor unavailable."],
        "reason": ["outside_doctor_hours"],
        "alternatives": [
            {
                "doctor": {"id": practice.other_doctor.id, "name": "Bernd Schmidt"},
                "next_available": "2027-01-18T09:00:00+01:00",
            }
        ],
    }


def test_2j_absence_and_2k_break(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.add(
            DoctorBreak(doctor_id=None, date=MONDAY, start_time=time(12), end_time=time(13))
        )
        session.add(
            DoctorAbsence(
                doctor_id=practice.doctor.id,
                start_date=date(2027, 1, 19),
                end_date=date(2027, 1, 19),
            )
        )
    payload = unavailable(api, admin, practice.body(start_time=at(12, 30), end_time=at(13)))
    assert payload["reason"] == ["break"]
    tuesday = date(2027, 1, 19)
    payload = unavailable(
        api, admin, practice.body(start_time=at(10, day=tuesday), end_time=at(10, 30, day=tuesday))
    )
    assert payload["reason"] == ["absence"]
    # Touching the break is fine (half-open intervals).
    book(api, admin, practice.body(start_time=at(11, 30), end_time=at(12)))


def test_2l_doctor_busy_before_2n_patient(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    book(api, admin, practice.body())
    payload = unavailable(api, admin, practice.body(start_time=at(10, 15), end_time=at(10, 45)))
    assert payload["reason"] == ["doctor_busy"]
    # Touching is no conflict.
    book(api, admin, practice.body(start_time=at(10, 30), end_time=at(11)))


def test_2m_resource_conflict_is_audited_and_comes_before_2n(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    room_booked: dict[str, Any],
    db: sessionmaker[Session],
) -> None:
    # Other doctor, same room and same patient: the resource conflict wins.
    response = api.post(
        "/api/appointments/",
        json=practice.body(doctor=practice.other_doctor.id, resource_ids=[practice.room_id]),
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Resource conflict"]}
    with db() as session:
        conflict = session.scalars(
            select(AuditLog).where(AuditLog.action == "resource_booking_conflict")
        ).one()
    assert conflict.patient_id == practice.patient_id
    assert scheduling_fixtures.actions(db) == ["appointment_create", "resource_booking_conflict"]


@pytest.mark.external_postgres
def test_2n_patient_conflict(api: TestClient, admin: Headers, practice: Practice) -> None:
    book(api, admin, practice.body())
    response = api.post(
        "/api/appointments/", json=practice.body(doctor=practice.other_doctor.id), headers=admin
    )
    assert response.json() == {
        "detail": ["Appointment conflict: patient already has an appointment in this time range."]
    }


def test_cancelled_appointments_block_nothing(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    first = book(api, admin, practice.body(resource_ids=[practice.room_id], status="cancelled"))
    book(api, admin, practice.body(resource_ids=[practice.room_id]))
    # Re-activating the cancelled one re-runs the checks.
    response = api.patch(
        f"/api/appointments/{first['id']}/", json={"status": "scheduled"}, headers=admin
    )
    assert response.status_code == 400
    assert response.json()["reason"] == ["doctor_busy"]


# --- updates ------------------------------------------------------------------------------


def test_put_keeps_omitted_optional_fields_and_patch_only_sent(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    optionals = {"notes": "Bitte nüchtern", "status": "confirmed"}
    created = book(api, admin, practice.body(resource_ids=[practice.room_id], **optionals))
    put = api.put(
        f"/api/appointments/{created['id']}/",
        json=practice.body(start_time=at(11), end_time=at(11, 30)),
        headers=admin,
    )
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body["notes"], body["status"]) == ("Bitte nüchtern", "confirmed")
    assert [r["id"] for r in body["resources"]] == [practice.room_id]
    missing = api.put(f"/api/appointments/{created['id']}/", json={"notes": "x"}, headers=admin)
    assert missing.status_code == 400
    assert set(missing.json()) == {"patient_id", "doctor", "start_time", "end_time"}
    patched = api.patch(
        f"/api/appointments/{created['id']}/", json={"resource_ids": []}, headers=admin
    ).json()
    assert patched["resources"] == []
    assert patched["start_time"] == "2027-01-18T11:00:00+01:00"


def test_editing_notes_skips_scheduling_checks(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    created = book(api, admin, practice.body())
    with db() as session, session.begin():  # the practice now opens later
        for row in session.scalars(select(PracticeHours)):
            row.start_time = time(12)
    response = api.patch(
        f"/api/appointments/{created['id']}/",
        json={"notes": "neu", "status": "completed"},
        headers=admin,
    )
    assert response.status_code == 200
    moved = api.patch(
        f"/api/appointments/{created['id']}/",
        json={"start_time": at(10, 5), "end_time": at(10, 35)},
        headers=admin,
    )
    assert moved.json()["reason"] == ["outside_practice_hours"]


def test_moving_a_booked_appointment_onto_an_occupied_room_is_refused(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    book(
        api,
        admin,
        practice.body(
            doctor=practice.other_doctor.id, patient_id=2002, resource_ids=[practice.room_id]
        ),
    )
    mine = book(
        api,
        admin,
        practice.body(start_time=at(11), end_time=at(11, 30), resource_ids=[practice.room_id]),
    )
    response = api.patch(
        f"/api/appointments/{mine['id']}/",
        json={"start_time": at(10), "end_time": at(10, 30)},
        headers=admin,
    )
    assert response.json() == {"non_field_errors": ["Resource conflict"]}


def test_an_appointment_never_conflicts_with_itself(
    api: TestClient, admin: Headers, practice: Practice, room_booked: dict[str, Any]
) -> None:
    response = api.patch(
        f"/api/appointments/{room_booked['id']}/", json={"end_time": at(10, 45)}, headers=admin
    )
    assert response.status_code == 200


def test_cancelling_frees_the_slot(api: TestClient, admin: Headers, practice: Practice) -> None:
    created = book(api, admin, practice.body())
    api.patch(f"/api/appointments/{created['id']}/", json={"status": "cancelled"}, headers=admin)
    book(api, admin, practice.body())


# --- list, retrieve, delete, no-show ----------------------------------------------------------


def test_list_filters_ordering_and_doctor_restriction(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    late = book(api, admin, practice.body(start_time=at(15), end_time=at(15, 30)))
    early = book(api, admin, practice.body(doctor=practice.other_doctor.id, patient_id=2002))
    tuesday = date(2027, 1, 19)
    next_day = book(
        api, admin, practice.body(start_time=at(10, day=tuesday), end_time=at(10, 30, day=tuesday))
    )

    def ids(query: str, headers: Headers = admin) -> list[int]:
        response = api.get(f"/api/appointments/?{query}", headers=headers)
        assert response.status_code == 200
        return [a["id"] for a in response.json()]

    assert ids("") == [early["id"], late["id"], next_day["id"]]
    assert ids("date=2027-01-18") == [early["id"], late["id"]]
    assert ids("date=2027-01-19&start_date=2027-01-18") == [next_day["id"]]
    assert ids("start_date=2027-01-19") == [next_day["id"]]
    assert ids("end_date=2027-01-18") == [early["id"], late["id"]]
    assert ids(f"doctor_id={practice.other_doctor.id}") == [early["id"]]
    assert ids("patient_id=2002") == [early["id"]]
    # Invalid filter values are ignored.
    assert ids("date=gestern&doctor_id=abc") == [early["id"], late["id"], next_day["id"]]
    assert ids("", users.headers(practice.doctor)) == [late["id"], next_day["id"]]
    assert scheduling_fixtures.actions(db)[-1] == "appointment_list"


def test_retrieve_audits_and_doctor_gets_403_for_foreign(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    foreign = book(api, admin, practice.body(doctor=practice.other_doctor.id))
    assert api.get(f"/api/appointments/{foreign['id']}/", headers=admin).status_code == 200
    with db() as session:
        view = session.scalars(select(AuditLog).where(AuditLog.action == "appointment_view")).one()
    assert view.patient_id == practice.patient_id
    doctor = users.headers(practice.doctor)
    assert api.get(f"/api/appointments/{foreign['id']}/", headers=doctor).status_code == 403
    assert (
        api.patch(f"/api/appointments/{foreign['id']}/", json={}, headers=doctor).status_code == 403
    )
    assert api.get("/api/appointments/999999/", headers=doctor).status_code == 404
    assert api.get("/api/appointments/abc/", headers=admin).status_code == 404


def test_delete(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    room_booked: dict[str, Any],
    db: sessionmaker[Session],
) -> None:
    scheduling_fixtures.assert_deleted(api, admin, f"/api/appointments/{room_booked['id']}/")
    assert scheduling_fixtures.actions(db)[-1] == "appointment_delete"
    # Bookings went with it: the room is free again.
    book(api, admin, practice.body(resource_ids=[practice.room_id]))


def test_mark_no_show(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    database_url: str,
    tmp_path: Path,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    created = book(api, admin, practice.body())
    response = api.post(f"/api/appointments/{created['id']}/mark-no-show/", headers=admin)
    assert response.json() == {"detail": "No-Show kann nur für vergangene Termine gesetzt werden."}
    later = make_settings(database_url, tmp_path, test_now="2027-01-18T10:30:01+01:00")
    with shared_client(later) as future:
        first = future.post(f"/api/appointments/{created['id']}/mark-no-show/", headers=admin)
        assert first.status_code == 200
        assert (first.json()["is_no_show"], first.json()["status"]) == (True, "scheduled")
        assert (
            future.post(
                f"/api/appointments/{created['id']}/mark-no-show/", headers=admin
            ).status_code
            == 200
        )
        assert scheduling_fixtures.actions(db).count("appointment_mark_no_show") == 1
        done = book(
            api, admin, practice.body(start_time=at(9), end_time=at(9, 30), status="completed")
        )
        response = future.post(f"/api/appointments/{done['id']}/mark-no-show/", headers=admin)
        assert response.json() == {
            "detail": "Nur Termine im Status scheduled/confirmed können "
            "als No-Show markiert werden."
        }
    with db() as session:
        row = session.scalars(
            select(AuditLog).where(AuditLog.action == "appointment_mark_no_show")
        ).one()
    assert row.meta == {"appointment_id": created["id"]}


# --- dry run ----------------------------------------------------------------------------------


def test_validate_answers_like_create_and_writes_nothing(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    room_booked: dict[str, Any],
    db: sessionmaker[Session],
) -> None:
    before = scheduling_fixtures.actions(db)
    ok = api.post(
        "/api/appointments/validate/",
        json=practice.body(start_time=at(11), end_time=at(11, 30)),
        headers=admin,
    )
    assert (ok.status_code, ok.json()) == (200, {"ok": True})
    clash = api.post(
        "/api/appointments/validate/",
        json=practice.body(doctor=practice.other_doctor.id, resource_ids=[practice.room_id]),
        headers=admin,
    )
    assert clash.json() == {"non_field_errors": ["Resource conflict"]}
    # With its own id the appointment does not conflict with itself.
    own = api.post(
        "/api/appointments/validate/",
        json={**practice.body(), "id": room_booked["id"]},
        headers=admin,
    )
    assert own.json() == {"ok": True}
    assert (
        api.post(
            "/api/appointments/validate/", json={**practice.body(), "id": 999999}, headers=admin
        ).status_code
        == 404
    )
    assert api.post(
        "/api/appointments/validate/", json={**practice.body(), "id": "x"}, headers=admin
    ).json() == {"id": ["A valid integer is required."]}
    assert scheduling_fixtures.actions(db) == before
    assert len(api.get("/api/appointments/", headers=admin).json()) == 1


# --- roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["billing", "nurse", "reception", "lab", "management", None])
def test_roles_without_write_access(
    api: TestClient,
    practice: Practice,
    admin: Headers,
    as_role: Callable[[str | None], Headers],
    role: str | None,
) -> None:
    created = book(api, admin, practice.body())
    headers = as_role(role)
    read_status = 200 if role == "billing" else 403
    assert api.get("/api/appointments/", headers=headers).status_code == read_status
    assert (
        api.get(f"/api/appointments/{created['id']}/", headers=headers).status_code == read_status
    )
    for method, path in (
        ("POST", "/api/appointments/"),
        ("PATCH", f"/api/appointments/{created['id']}/"),
        ("PATCH", "/api/appointments/999999/"),
        ("DELETE", f"/api/appointments/{created['id']}/"),
        ("POST", f"/api/appointments/{created['id']}/mark-no-show/"),
        ("POST", "/api/appointments/validate/"),
    ):
        assert api.request(method, path, json={}, headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "role", "status"),
    [
        ("PUT", "/api/appointments/", "doctor", 405),
        ("DELETE", "/api/appointments/", "billing", 403),
        ("POST", "/api/appointments/1/", "assistant", 405),
        ("GET", "/api/appointments/validate/", "doctor", 405),
        ("GET", "/api/appointments/validate/", "billing", 403),
        ("GET", "/api/appointments/1/mark-no-show/", "billing", 405),
        ("PUT", "/api/appointments/1/mark-no-show/", "billing", 403),
    ],
)
def test_unsupported_methods(
    api: TestClient,
    as_role: Callable[[str | None], Headers],
    method: str,
    path: str,
    role: str,
    status: int,
) -> None:
    assert api.request(method, path, headers=as_role(role)).status_code == status


def test_absence_preview_lists_affected_appointments(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    later = book(api, admin, practice.body(start_time=at(15), end_time=at(15, 30)))
    early = book(api, admin, practice.body(patient_id=4242))
    book(
        api,
        admin,
        practice.body(start_time=at(11), end_time=at(11, 30), patient_id=4343, status="cancelled"),
    )
    book(api, admin, practice.body(doctor=practice.other_doctor.id, patient_id=4444))
    response = api.get(
        f"/api/doctor-absences/preview/?doctor_id={practice.doctor.id}"
        "&start_date=2027-01-18&end_date=2027-01-18",
        headers=admin,
    )
    assert response.json()["affected_appointments"] == [
        {
            "id": early["id"],
            "patient_id": 4242,
            "patient_name": "Patient #4242",
            "start_time": "2027-01-18T10:00:00+01:00",
            "end_time": "2027-01-18T10:30:00+01:00",
            "status": "scheduled",
        },
        {
            "id": later["id"],
            "patient_id": practice.patient_id,
            "patient_name": "Mustermann, Max (15.05.1990)",
            "start_time": "2027-01-18T15:00:00+01:00",
            "end_time": "2027-01-18T15:30:00+01:00",
            "status": "scheduled",
        },
    ]
    # An absence that ends before the appointment day lists nothing.
    response = api.get(
        f"/api/doctor-absences/preview/?doctor_id={practice.doctor.id}"
        "&start_date=2027-01-11&end_date=2027-01-17",
        headers=admin,
    )
    assert response.json()["affected_appointments"] == []


def test_zero_offset_is_written_as_z(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    practice = scheduling_fixtures.build_practice(db, users)
    settings = make_settings(database_url, tmp_path, test_now=NOW, timezone="UTC")
    with shared_client(settings) as utc_api:
        headers = users.headers(users.create("admin"))
        body = utc_api.post(
            "/api/appointments/",
            json=practice.body(start_time="2027-01-18T10:00:00Z", end_time="2027-01-18T10:30:00Z"),
            headers=headers,
        )
        assert body.status_code == 201, body.text
        assert body.json()["start_time"] == "2027-01-18T10:00:00Z"
        listed = utc_api.get("/api/appointments/", headers=headers).json()
        assert listed[0]["end_time"] == "2027-01-18T10:30:00Z"


# --- operations seen from the appointment side (03 §5.2 check 2o, 04 §3.4) ---------------


def _operation(
    api: TestClient, headers: Headers, db: sessionmaker[Session], **body: Any
) -> dict[str, Any]:
    from server.master_data.models import OperationType

    with db() as session, session.begin():
        op_type = OperationType(
            name="Standard-OP", prep_duration=10, op_duration=30, post_duration=10
        )
        session.add(op_type)
        session.flush()
        type_id = op_type.id
    response = api.post("/api/operations/", json={"op_type": type_id, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _operation_in_the_room_with_the_device(
    api: TestClient, headers: Headers, db: sessionmaker[Session], practice: Practice
) -> dict[str, Any]:
    """The other doctor operates patient 2002 at 10:00 in the room, with the device."""
    return _operation(
        api,
        headers,
        db,
        patient_id=2002,
        primary_surgeon=practice.other_doctor.id,
        op_room=practice.room_id,
        op_device_ids=[practice.device_id],
        start_time=at(10),
    )


def test_2o_operations_block_the_doctor_and_the_patient_on_create_and_update(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    surgeon_op = _operation(
        api,
        admin,
        db,
        patient_id=2002,
        primary_surgeon=practice.doctor.id,
        op_room=practice.other_room_id,
        start_time=at(10),
    )
    patient_op = _operation(
        api,
        admin,
        db,
        patient_id=practice.patient_id,
        primary_surgeon=practice.other_doctor.id,
        op_room=practice.room_id,
        start_time=at(10, 20),
    )
    expected = {
        "detail": "Scheduling conflicts detected",
        "conflicts": [
            {
                "type": "doctor_conflict",
                "model": "Operation",
                "id": surgeon_op["id"],
                "message": f"Doctor is involved in operation #{surgeon_op['id']}",
            },
            {
                "type": "patient_conflict",
                "model": "Operation",
                "id": patient_op["id"],
                "message": f"Patient already has operation #{patient_op['id']} in this time range",
            },
        ],
    }
    response = api.post("/api/appointments/", json=practice.body(), headers=admin)
    assert (response.status_code, response.json()) == (400, expected)
    # D-OP-17: also on update — moving an appointment into the operations is refused.
    created = book(api, admin, practice.body(start_time=at(14), end_time=at(14, 30)))
    moved = api.patch(
        f"/api/appointments/{created['id']}/",
        json={"start_time": at(10), "end_time": at(10, 30)},
        headers=admin,
    )
    assert (moved.status_code, moved.json()) == (400, expected)
    # A cancelled operation blocks nothing.
    for op in (surgeon_op, patient_op):
        api.patch(f"/api/operations/{op['id']}/", json={"status": "cancelled"}, headers=admin)
    book(api, admin, practice.body())


def test_an_appointment_cannot_book_the_room_or_device_of_an_operation(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    _operation_in_the_room_with_the_device(api, admin, db, practice)
    for resource in (practice.room_id, practice.device_id):
        response = api.post(
            "/api/appointments/",
            json=practice.body(start_time=at(10, 40), end_time=at(11), resource_ids=[resource]),
            headers=admin,
        )
        assert (response.status_code, response.json()) == (
            400,
            {"non_field_errors": ["Resource conflict"]},
        )
    assert scheduling_fixtures.actions(db).count("resource_booking_conflict") == 2
    # Touching the end of the operation block is fine.
    book(
        api,
        admin,
        practice.body(start_time=at(10, 50), end_time=at(11, 10), resource_ids=[practice.room_id]),
    )


def test_validate_of_conflicts_with_operations_writes_no_audit_row(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    """03 §4.6 / 04: validate writes nothing, not even the conflict audit rows that the real
    create/update would leave (``resource_booking_conflict``, ``operation_conflict``)."""
    operation = _operation_in_the_room_with_the_device(api, admin, db, practice)
    booked = book(api, admin, practice.body(start_time=at(11), end_time=at(11, 30)))
    before = scheduling_fixtures.actions(db)
    attempts = [
        # room and device of the operation, new and as an edit of an existing appointment
        (
            "/api/appointments/validate/",
            practice.body(start_time=at(10, 40), end_time=at(11), resource_ids=[practice.room_id]),
        ),
        (
            "/api/appointments/validate/",
            {
                **practice.body(
                    start_time=at(10, 40), end_time=at(11), resource_ids=[practice.device_id]
                ),
                "id": booked["id"],
            },
        ),
        # the operation's room, surgeon and device taken by a second operation
        (
            "/api/operations/validate/",
            {
                "op_type": operation["op_type"]["id"],
                "patient_id": 2003,
                "primary_surgeon": practice.doctor.id,
                "op_room": practice.room_id,
                "start_time": at(10),
            },
        ),
        (
            "/api/operations/validate/",
            {
                "op_type": operation["op_type"]["id"],
                "patient_id": 2003,
                "primary_surgeon": practice.other_doctor.id,
                "op_room": practice.other_room_id,
                "start_time": at(10),
            },
        ),
        (
            "/api/operations/validate/",
            {
                "op_type": operation["op_type"]["id"],
                "patient_id": 2003,
                "primary_surgeon": practice.doctor.id,
                "op_room": practice.other_room_id,
                "op_device_ids": [practice.device_id],
                "start_time": at(10),
            },
        ),
    ]
    answers = [api.post(path, json=body, headers=admin) for path, body in attempts]
    assert [(answer.status_code, answer.json()) for answer in answers] == [
        (400, {"non_field_errors": ["Resource conflict"]}),
        (400, {"non_field_errors": ["Resource conflict"]}),
        (400, {"detail": ["Operation conflict"], "reason": ["room_conflict"]}),
        (400, {"detail": ["Operation conflict"], "reason": ["operation_conflict"]}),
        (400, {"detail": ["Operation conflict"], "reason": ["device_conflict"]}),
    ]
    assert scheduling_fixtures.actions(db) == before
    # The same bodies really written do leave their conflict rows (the rule validate skips).
    response = api.post("/api/appointments/", json=attempts[0][1], headers=admin)
    assert response.status_code == 400
    assert scheduling_fixtures.actions(db) == [*before, "resource_booking_conflict"]
