"""Operations (spec 04 §2–§9): representation, the ordered validation rules 1–18, update
rules (D-OP-06, D-OP-08), list/retrieve/delete, dry run, suggest, roles, audit, occupancy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from server.bookings.occupancy import Occupancy
from server.master_data.models import OperationType, Resource
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours
from tests.server import scheduling_fixtures
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.scheduling_fixtures import (
    BERLIN,
    MONDAY,
    NOW,
    Headers,
    OpPractice,
    at,
    build_op_practice,
)

# Shared with the appointment tests (``scheduling_fixtures``): the practice, a client at
# the fixed "now", an admin.
practice = scheduling_fixtures.op_practice
api = scheduling_fixtures.api
admin = scheduling_fixtures.admin


@pytest.fixture
def assistant(users: Users) -> Headers:
    return users.headers(users.create("assistant", "mfa"))


def plan(api: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/operations/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def conflict(reason: str) -> dict[str, Any]:
    return {"detail": ["Operation conflict"], "reason": [reason]}


def rejected(api: TestClient, headers: Headers, body: dict[str, Any]) -> Any:
    response = api.post("/api/operations/", json=body, headers=headers)
    assert response.status_code == 400, response.text
    return response.json()


# --- §9 acceptance scenarios ------------------------------------------------------------


@pytest.fixture
def short_day(db: sessionmaker[Session], users: Users) -> OpPractice:
    """Scenario setting of 04 §9: hours Mon 10–12 for the practice and both surgeons."""
    return build_op_practice(db, users, practice_hours=(10, 12), doctor_hours=(10, 12))


def test_scenario_1_create_computes_end_and_audits(
    api: TestClient, admin: Headers, short_day: OpPractice, db: sessionmaker[Session]
) -> None:
    body = plan(api, admin, short_day.body(op_device_ids=[short_day.device_id], notes="OP_A"))
    assert "T10:50:00" in body["end_time"]
    assert scheduling_fixtures.actions(db) == ["operation_create"]
    assert scheduling_fixtures.audit_rows(db)[0].patient_id == short_day.patient_id


def test_scenario_2_room_conflict_is_audited(
    api: TestClient, admin: Headers, short_day: OpPractice, db: sessionmaker[Session]
) -> None:
    plan(api, admin, short_day.body(op_device_ids=[short_day.device_id]))
    body = rejected(
        api,
        admin,
        short_day.body(
            patient_id=2002, primary_surgeon=short_day.other_surgeon.id, start_time=at(10, 30)
        ),
    )
    assert body == conflict("room_conflict")
    assert scheduling_fixtures.actions(db)[-1] == "operation_conflict"
    assert scheduling_fixtures.audit_rows(db)[-1].patient_id == 2002


def test_scenario_3_suggest_the_slot_after_the_booked_operation(
    api: TestClient, admin: Headers, short_day: OpPractice, db: sessionmaker[Session]
) -> None:
    plan(api, admin, short_day.body(op_device_ids=[short_day.device_id]))
    response = api.get(
        "/api/operations/suggest/",
        headers=admin,
        params={
            "patient_id": 2002,
            "primary_surgeon_id": short_day.other_surgeon.id,
            "op_type_id": short_day.type_id,
            "op_room_id": short_day.room_id,
            "op_device_ids": str(short_day.device_id),
            "start_date": MONDAY.isoformat(),
            "limit": 1,
        },
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "primary_surgeon": {
            "id": short_day.other_surgeon.id,
            "name": "Jonas Keller",
            "color": "#FF8C00",
        },
        "suggestions": [
            {
                "start_time": "2027-01-18T10:50:00+01:00",
                "end_time": "2027-01-18T11:40:00+01:00",
                "op_type": {"id": short_day.type_id, "name": "Standard-OP", "color": "#8A2BE2"},
                "op_room": {"id": short_day.room_id, "name": "OP 1", "color": "#6A5ACD"},
                "op_device_ids": [short_day.device_id],
            }
        ],
    }
    assert scheduling_fixtures.actions(db)[-1] == "operation_suggest"


def test_scenario_4_calendar_day_contains_the_operation(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    created = plan(api, admin, practice.body())
    response = api.get(f"/api/calendar/day/?date={MONDAY}", headers=admin)
    assert response.status_code == 200, response.text
    operations = response.json()["operations"]
    assert len(operations) >= 1
    assert operations[0]["id"] == created["id"]
    assert operations[0]["cancelled"] is False
    keys = list(operations[0])
    assert keys[keys.index("status") + 1] == "cancelled"


@pytest.mark.parametrize("role", ["admin", "assistant"])
def test_scenario_5_staff_full_cycle_with_audit(
    role: str, api: TestClient, users: Users, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    user = users.create(role)
    headers = users.headers(user)
    assert api.get("/api/operations/", headers=headers).status_code == 200
    created = plan(api, headers, practice.body())
    assert api.get(f"/api/operations/{created['id']}/", headers=headers).status_code == 200
    patched = api.patch(f"/api/operations/{created['id']}/", json={"notes": "neu"}, headers=headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["notes"] == "neu"
    deleted = api.delete(f"/api/operations/{created['id']}/", headers=headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    rows = scheduling_fixtures.audit_rows(db)
    assert [r.action for r in rows] == [
        "operation_list",
        "operation_create",
        "operation_view",
        "operation_update",
        "operation_delete",
    ]
    assert {(r.user_id, r.role_name) for r in rows} == {(user.id, role)}
    assert [r.patient_id for r in rows] == [None] + [practice.patient_id] * 4


def test_scenario_6_doctor_sees_only_own_operations(
    api: TestClient, users: Users, admin: Headers, practice: OpPractice
) -> None:
    own = plan(api, admin, practice.body(anesthesist=practice.anesthesist.id))
    foreign = plan(
        api,
        admin,
        practice.body(
            primary_surgeon=practice.other_surgeon.id,
            op_room=practice.other_room_id,
            patient_id=2002,
        ),
    )
    for member in (practice.surgeon, practice.anesthesist):
        headers = users.headers(member)
        listed = api.get("/api/operations/", headers=headers).json()
        assert [op["id"] for op in listed] == [own["id"]]
        assert api.get(f"/api/operations/{own['id']}/", headers=headers).status_code == 200
        assert api.get(f"/api/operations/{foreign['id']}/", headers=headers).status_code == 403
    headers = users.headers(practice.surgeon)
    assert (
        api.post(
            "/api/operations/", json=practice.body(start_time=at(14)), headers=headers
        ).status_code
        == 403
    )
    assert (
        api.patch(f"/api/operations/{own['id']}/", json={"notes": "x"}, headers=headers).status_code
        == 403
    )
    assert api.delete(f"/api/operations/{own['id']}/", headers=headers).status_code == 403


def test_scenario_7_billing_reads_but_cannot_write(
    api: TestClient,
    as_role: Callable[[str | None], Headers],
    admin: Headers,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    created = plan(api, admin, practice.body())
    billing = as_role("billing")
    assert len(api.get("/api/operations/", headers=billing).json()) == 1
    assert scheduling_fixtures.actions(db)[-1] == "operation_list"
    assert api.get(f"/api/operations/{created['id']}/", headers=billing).status_code == 200
    assert api.post("/api/operations/", json=practice.body(), headers=billing).status_code == 403
    assert (
        api.patch(f"/api/operations/{created['id']}/", json={}, headers=billing).status_code == 403
    )
    assert api.delete(f"/api/operations/{created['id']}/", headers=billing).status_code == 403
    # Role check before the lookup: unknown ids are 403 too.
    assert api.patch("/api/operations/999999/", json={}, headers=billing).status_code == 403


def test_scenario_8_overlap_with_a_longer_operation_in_the_room(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        long_type = OperationType(name="Lang", prep_duration=15, op_duration=60, post_duration=15)
        session.add(long_type)
        session.flush()
        long_id = long_type.id
    first = plan(api, admin, practice.body(op_type=long_id))
    assert first["end_time"] == "2027-01-18T11:30:00+01:00"
    body = rejected(
        api,
        admin,
        practice.body(
            op_type=long_id,
            start_time=at(11),
            primary_surgeon=practice.other_surgeon.id,
            patient_id=2002,
        ),
    )
    assert "detail" in body
    assert body["reason"] == ["room_conflict"]


# --- representation ---------------------------------------------------------------------


def test_representation_matches_section_4_3(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    sent = practice.body(
        anesthesist=practice.other_surgeon.id,
        op_device_ids=[practice.device_id, practice.other_device_id, practice.device_id],
        end_time=at(23),
        status="confirmed",
    )
    body = plan(api, admin, sent)
    assert list(body) == [
        "id",
        "patient_id",
        "patient_name",
        "op_type",
        "op_room",
        "op_devices",
        "team",
        "start_time",
        "end_time",
        "color",
        "status",
        "notes",
        "created_at",
        "updated_at",
        "chain",
    ]
    assert body["chain"] is None
    assert body["patient_name"] == "Muster, Erika (12.03.1961)"
    assert body["op_type"] == {
        "id": practice.type_id,
        "name": "Standard-OP",
        "color": "#8A2BE2",
        "prep_duration": 10,
        "op_duration": 30,
        "post_duration": 10,
    }
    assert body["op_room"]["name"] == "OP 1"
    assert set(body["op_room"]) == scheduling_fixtures.RESOURCE_KEYS
    # Devices ordered by name, duplicates removed.
    assert [d["name"] for d in body["op_devices"]] == ["Arthroskop", "C-Bogen"]
    assert body["team"] == {
        "primary_surgeon": {"id": practice.surgeon.id, "name": "Anna Berg", "color": "#1E90FF"},
        "assistant": None,
        "anesthesist": {
            "id": practice.other_surgeon.id,
            "name": "Jonas Keller",
            "color": "#FF8C00",
        },
    }
    # end_time is always server-computed (the body's end_time is ignored).
    assert (body["start_time"], body["end_time"]) == (
        "2027-01-18T10:00:00+01:00",
        "2027-01-18T10:50:00+01:00",
    )
    assert (body["color"], body["status"], body["notes"]) == ("#8A2BE2", "confirmed", "")


def test_unknown_patient_gets_the_fallback_name(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    assert plan(api, admin, practice.body(patient_id=4242))["patient_name"] == "Patient #4242"


def test_times_render_with_z_in_a_utc_practice(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    practice = build_op_practice(db, users)
    settings = make_settings(database_url, tmp_path, timezone="UTC", test_now=NOW)
    headers = users.headers(users.create("admin"))
    with shared_client(settings) as client:
        body = plan(client, headers, practice.body(start_time="2027-01-18T10:00:00Z"))
    assert (body["start_time"], body["end_time"]) == (
        "2027-01-18T10:00:00Z",
        "2027-01-18T10:50:00Z",
    )
    assert body["created_at"].endswith("Z")


# --- steps 1–5: field errors, all together ------------------------------------------------


def test_missing_required_fields_are_reported_together(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    body = rejected(api, admin, {})
    required = ["This field is required."]
    names = ("patient_id", "primary_surgeon", "op_room", "op_type", "start_time")
    assert body == dict.fromkeys(names, required)
    assert scheduling_fixtures.actions(db) == []  # non-conflict 400s are not audited


def test_field_level_messages(api: TestClient, admin: Headers, practice: OpPractice) -> None:
    body = rejected(
        api,
        admin,
        practice.body(
            patient_id=-3,
            op_room=999999,
            assistant=888888,
            start_time="morgen",
            status="bogus",
            op_device_ids=["x", 5],
        ),
    )
    assert body == {
        "patient_id": ["patient_id muss positiv sein."],
        "assistant": ['Invalid pk "888888" - object does not exist.'],
        "op_room": ['Invalid pk "999999" - object does not exist.'],
        "start_time": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ],
        "status": ['"bogus" is not a valid choice.'],
        "op_device_ids": {"0": ["A valid integer is required."]},
    }
    assert rejected(api, admin, practice.body(patient_id="abc")) == {
        "patient_id": ["A valid integer is required."]
    }


def test_create_only_allows_planned_or_confirmed(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    for status in ("running", "done", "cancelled"):
        assert rejected(api, admin, practice.body(status=status)) == {
            "status": ["Beim Anlegen sind nur planned oder confirmed erlaubt."]
        }
    assert plan(api, admin, practice.body(status="confirmed"))["status"] == "confirmed"


def test_unrepresentable_start_time_is_a_400(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    body = rejected(api, admin, practice.body(start_time="9999-12-31T23:30:00Z"))
    assert list(body) == ["start_time"]


# --- steps 6–12 ---------------------------------------------------------------------------


def _set(db: sessionmaker[Session], model: Any, row_id: int, **values: Any) -> None:
    with db() as session, session.begin():
        session.execute(update(model).where(model.id == row_id).values(**values))


def test_step_6_inactive_type(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    _set(db, OperationType, practice.type_id, active=False)
    assert rejected(api, admin, practice.body()) == {"op_type": ["op_type ist inaktiv."]}
    assert scheduling_fixtures.actions(db) == []


def test_step_7_zero_duration_is_an_audited_conflict(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    _set(db, OperationType, practice.type_id, prep_duration=0, op_duration=0, post_duration=0)
    assert rejected(api, admin, practice.body()) == conflict("invalid_duration")
    assert scheduling_fixtures.actions(db) == ["operation_conflict"]


def test_step_8_room_must_be_an_active_room(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    assert rejected(api, admin, practice.body(op_room=practice.device_id)) == {
        "op_room": ['op_room muss eine Ressource mit type="room" sein.']
    }
    _set(db, Resource, practice.room_id, active=False)
    assert rejected(api, admin, practice.body()) == {"op_room": ["op_room muss aktiv sein."]}


def test_step_9_devices_must_be_active_devices(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    message = {
        "op_device_ids": ["op_device_ids enthält unbekannte/inaktive/nicht-Gerät-Ressource(n)."]
    }
    assert rejected(api, admin, practice.body(op_device_ids=[practice.other_room_id])) == message
    assert rejected(api, admin, practice.body(op_device_ids=[777777])) == message
    _set(db, Resource, practice.device_id, active=False)
    assert rejected(api, admin, practice.body(op_device_ids=[practice.device_id])) == message


def test_steps_10_to_12_team(
    api: TestClient, admin: Headers, users: Users, practice: OpPractice
) -> None:
    helper = users.create("assistant")
    assert rejected(api, admin, practice.body(assistant=helper.id)) == {
        "assistant": ['Der Arzt muss die Rolle "doctor" haben.']
    }
    retired = users.create("doctor", is_active=False)
    assert rejected(api, admin, practice.body(anesthesist=retired.id)) == {
        "anesthesist": ["anesthesist muss aktiv sein."]
    }
    assert rejected(api, admin, practice.body(primary_surgeon=retired.id)) == {
        "primary_surgeon": ["primary_surgeon muss aktiv sein."]
    }
    # Role (10) is checked for every member before activity (11).
    assert rejected(
        api, admin, practice.body(primary_surgeon=retired.id, anesthesist=helper.id)
    ) == {"anesthesist": ['Der Arzt muss die Rolle "doctor" haben.']}
    assert rejected(api, admin, practice.body(assistant=practice.surgeon.id)) == {
        "non_field_errors": ["Teammitglieder müssen unterschiedliche Personen sein."]
    }


# --- steps 13–18 --------------------------------------------------------------------------


def book_appointment(api: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    response = api.post("/api/appointments/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_step_13_and_14_room(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    book_appointment(
        api,
        admin,
        patient_id=3003,
        doctor=practice.other_surgeon.id,
        start_time=at(12),
        end_time=at(12, 30),
        resource_ids=[practice.room_id],
    )
    assert rejected(api, admin, practice.body(start_time=at(12, 20))) == conflict(
        "room_conflict_with_appointments"
    )
    plan(api, admin, practice.body(start_time=at(14), op_room=practice.other_room_id))
    assert rejected(
        api,
        admin,
        practice.body(
            start_time=at(14, 40),
            op_room=practice.other_room_id,
            primary_surgeon=practice.other_surgeon.id,
            patient_id=3004,
        ),
    ) == conflict("room_conflict")
    assert scheduling_fixtures.actions(db).count("operation_conflict") == 2


def test_step_15_and_16_devices(api: TestClient, admin: Headers, practice: OpPractice) -> None:
    plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    assert rejected(
        api,
        admin,
        practice.body(
            op_room=practice.other_room_id,
            primary_surgeon=practice.other_surgeon.id,
            patient_id=3004,
            start_time=at(10, 30),
            op_device_ids=[practice.other_device_id, practice.device_id],
        ),
    ) == conflict("device_conflict")
    book_appointment(
        api,
        admin,
        patient_id=3003,
        doctor=practice.other_surgeon.id,
        start_time=at(13),
        end_time=at(13, 30),
        resource_ids=[practice.other_device_id],
    )
    assert rejected(
        api, admin, practice.body(start_time=at(13), op_device_ids=[practice.other_device_id])
    ) == conflict("device_conflict_with_appointments")


def test_step_17a_hours(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session], users: Users
) -> None:
    # Outside the doctor's hours (09–17) although inside practice hours (08–18).
    assert rejected(api, admin, practice.body(start_time=at(16, 30))) == conflict("hours_conflict")
    # Exactly filling the end of the window is fine (inclusive containment).
    plan(api, admin, practice.body(start_time=at(16, 10)))
    # Every team member needs own hours.
    hourless = users.create("doctor")
    assert rejected(api, admin, practice.body(start_time=at(11), assistant=hourless.id)) == (
        conflict("hours_conflict")
    )
    # An operation crossing local midnight never fits.
    with db() as session, session.begin():
        for weekday in range(7):
            session.add(
                PracticeHours(
                    weekday=weekday, start_time=time(0), end_time=time(23, 59, 59, 999999)
                )
            )
            session.add(
                DoctorHours(
                    doctor_id=practice.other_surgeon.id,
                    weekday=weekday,
                    start_time=time(0),
                    end_time=time(23, 59, 59, 999999),
                )
            )
    assert rejected(
        api, admin, practice.body(start_time=at(23, 40), primary_surgeon=practice.other_surgeon.id)
    ) == conflict("hours_conflict")


def test_step_17b_to_17e_team_member_conflicts(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.add(
            DoctorAbsence(
                doctor_id=practice.anesthesist.id,
                start_date=MONDAY,
                end_date=MONDAY,
                reason="Urlaub",
            )
        )
        session.add(
            DoctorBreak(
                doctor_id=None,
                date=MONDAY,
                start_time=time(12),
                end_time=time(12, 30),
                reason="Mittag",
            )
        )
    assert rejected(api, admin, practice.body(anesthesist=practice.anesthesist.id)) == conflict(
        "absence_conflict"
    )
    assert rejected(api, admin, practice.body(start_time=at(11, 50))) == conflict("break_conflict")
    book_appointment(
        api,
        admin,
        patient_id=3003,
        doctor=practice.other_surgeon.id,
        start_time=at(14),
        end_time=at(14, 30),
    )
    assert rejected(
        api, admin, practice.body(start_time=at(14), assistant=practice.other_surgeon.id)
    ) == conflict("appointment_conflict")
    plan(
        api,
        admin,
        practice.body(
            start_time=at(15),
            op_room=practice.other_room_id,
            patient_id=3005,
            primary_surgeon=practice.other_surgeon.id,
        ),
    )
    # The other surgeon is assistant here and primary surgeon there: 17e, any team role.
    assert rejected(
        api, admin, practice.body(start_time=at(15, 20), assistant=practice.other_surgeon.id)
    ) == conflict("operation_conflict")


def test_step_17_runs_per_member_in_role_order(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    """The surgeon's break (17c) wins over the anesthesist's absence (17b)."""
    with db() as session, session.begin():
        session.add(
            DoctorAbsence(doctor_id=practice.anesthesist.id, start_date=MONDAY, end_date=MONDAY)
        )
        session.add(
            DoctorBreak(
                doctor_id=practice.surgeon.id,
                date=MONDAY,
                start_time=time(10),
                end_time=time(10, 15),
            )
        )
    assert rejected(api, admin, practice.body(anesthesist=practice.anesthesist.id)) == conflict(
        "break_conflict"
    )


def test_step_18_patient_conflicts_list_appointments_then_operations(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op = plan(api, admin, practice.body(start_time=at(10)))
    appointment = book_appointment(
        api,
        admin,
        patient_id=practice.patient_id,
        doctor=practice.anesthesist.id,
        start_time=at(10, 50),
        end_time=at(11, 10),
    )
    body = rejected(
        api,
        admin,
        practice.body(
            start_time=at(10, 30),
            primary_surgeon=practice.other_surgeon.id,
            op_room=practice.other_room_id,
        ),
    )
    assert body == {
        "detail": "Scheduling conflicts detected",
        "conflicts": [
            {
                "type": "patient_conflict",
                "model": "Appointment",
                "id": appointment["id"],
                "message": f"Patient already has appointment #{appointment['id']} "
                "in this time range",
            },
            {
                "type": "patient_conflict",
                "model": "Operation",
                "id": op["id"],
                "message": f"Patient already has operation #{op['id']} in this time range",
            },
        ],
    }
    assert scheduling_fixtures.actions(db)[-1] == "operation_conflict"


def test_cancelled_and_touching_bookings_block_nothing(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    first = plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    # Touching: 10:50 starts where the first ends.
    plan(api, admin, practice.body(start_time=at(10, 50), op_device_ids=[practice.device_id]))
    cancelled = api.patch(
        f"/api/operations/{first['id']}/", json={"status": "cancelled"}, headers=admin
    )
    assert cancelled.status_code == 200, cancelled.text
    plan(
        api,
        admin,
        practice.body(
            primary_surgeon=practice.other_surgeon.id, op_device_ids=[practice.device_id]
        ),
    )


# --- database guarantee ---------------------------------------------------------------------


def occupancy(db: sessionmaker[Session], operation_id: int) -> list[tuple[str, int]]:
    with db() as session:
        return sorted(
            (row.kind, row.subject_id)
            for row in session.scalars(
                select(Occupancy).where(Occupancy.operation_id == operation_id)
            )
        )


def test_occupancy_rows_cover_team_patient_room_and_devices(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    team_with_device = practice.body(
        anesthesist=practice.anesthesist.id, op_device_ids=[practice.device_id]
    )
    op = plan(api, admin, team_with_device)
    assert occupancy(db, op["id"]) == sorted(
        [
            ("doctor", practice.surgeon.id),
            ("doctor", practice.anesthesist.id),
            ("patient", practice.patient_id),
            ("resource", practice.room_id),
            ("resource", practice.device_id),
        ]
    )
    api.patch(
        f"/api/operations/{op['id']}/",
        json={"op_device_ids": [], "anesthesist": None},
        headers=admin,
    )
    assert occupancy(db, op["id"]) == sorted(
        [
            ("doctor", practice.surgeon.id),
            ("patient", practice.patient_id),
            ("resource", practice.room_id),
        ]
    )
    api.patch(f"/api/operations/{op['id']}/", json={"status": "cancelled"}, headers=admin)
    assert occupancy(db, op["id"]) == []


def test_the_database_refuses_an_operation_over_an_appointment(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    """Even a write that skips the application checks cannot double-book across kinds."""
    from psycopg import errors as pg_errors
    from sqlalchemy.exc import IntegrityError

    op = plan(api, admin, practice.body())
    appointment = book_appointment(
        api,
        admin,
        patient_id=3003,
        doctor=practice.other_surgeon.id,
        start_time=at(12),
        end_time=at(12, 30),
    )
    with db() as session, pytest.raises(IntegrityError) as caught:
        session.execute(
            text(
                "INSERT INTO occupancies (operation_id, kind, subject_id, period) VALUES "
                "(:op, 'resource', :room, tstzrange(:start, :end, '[)'))"
            ),
            {"op": op["id"], "room": practice.room_id, "start": at(10, 20), "end": at(10, 40)},
        )
    assert isinstance(caught.value.orig, pg_errors.ExclusionViolation)
    with db() as session, pytest.raises(IntegrityError) as owners:
        session.execute(
            text(
                "INSERT INTO occupancies (appointment_id, operation_id, kind, subject_id, period) "
                "VALUES (:a, :op, 'patient', 1, tstzrange(:start, :end, '[)'))"
            ),
            {"a": appointment["id"], "op": op["id"], "start": at(20), "end": at(21)},
        )
    assert isinstance(owners.value.orig, pg_errors.CheckViolation)


# --- update -------------------------------------------------------------------------------


def test_notes_only_patch_skips_revalidation_and_keeps_end_time(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op = plan(api, admin, practice.body())
    with db() as session, session.begin():
        session.execute(update(DoctorHours).values(active=False))
        session.execute(update(OperationType).values(op_duration=90))
    response = api.patch(f"/api/operations/{op['id']}/", json={"notes": "x"}, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["end_time"] == op["end_time"]  # D-OP-08: not recomputed
    assert body["updated_at"] != op["updated_at"]
    # Sending the stored values is no change either.
    same = api.patch(
        f"/api/operations/{op['id']}/",
        json={"start_time": op["start_time"], "op_room": practice.room_id},
        headers=admin,
    )
    assert same.status_code == 200, same.text
    # A real change re-validates (hours are gone now).
    moved = api.patch(f"/api/operations/{op['id']}/", json={"start_time": at(11)}, headers=admin)
    assert moved.json() == conflict("hours_conflict")


def test_moving_recomputes_end_and_excludes_itself(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    op = plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    moved = api.patch(
        f"/api/operations/{op['id']}/", json={"start_time": at(10, 20)}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["start_time"], moved.json()["end_time"]) == (
        "2027-01-18T10:20:00+01:00",
        "2027-01-18T11:10:00+01:00",
    )
    assert [d["id"] for d in moved.json()["op_devices"]] == [practice.device_id]


def test_time_change_rechecks_stored_devices(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    op = plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    plan(
        api,
        admin,
        practice.body(
            start_time=at(14),
            op_room=practice.other_room_id,
            primary_surgeon=practice.other_surgeon.id,
            patient_id=2002,
            op_device_ids=[practice.device_id],
        ),
    )
    url = f"/api/operations/{op['id']}/"
    response = api.patch(url, json={"start_time": at(14, 10)}, headers=admin)
    assert response.json() == conflict("device_conflict")
    # Replacing the device set in the same request avoids the clash.
    response = api.patch(
        url,
        json={"start_time": at(14, 10), "op_device_ids": [practice.other_device_id]},
        headers=admin,
    )
    assert response.status_code == 200, response.text


def test_put_needs_every_required_field_and_keeps_omitted_optionals(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    op = plan(
        api,
        admin,
        practice.body(
            anesthesist=practice.anesthesist.id, notes="n", op_device_ids=[practice.device_id]
        ),
    )
    missing = api.put(f"/api/operations/{op['id']}/", json={"notes": "x"}, headers=admin)
    assert missing.status_code == 400
    assert set(missing.json()) == {
        "patient_id",
        "primary_surgeon",
        "op_room",
        "op_type",
        "start_time",
    }
    full = api.put(f"/api/operations/{op['id']}/", json=practice.body(), headers=admin)
    assert full.status_code == 200, full.text
    body = full.json()
    assert body["team"]["anesthesist"]["id"] == practice.anesthesist.id
    assert (body["notes"], body["status"]) == ("n", "planned")
    assert [d["id"] for d in body["op_devices"]] == [practice.device_id]


def test_status_machine_through_patch(
    api: TestClient,
    database_url: str,
    tmp_path: Path,
    admin: Headers,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    op = plan(api, admin, practice.body())
    url = f"/api/operations/{op['id']}/"
    bad = api.patch(url, json={"status": "done"}, headers=admin)
    assert (bad.status_code, bad.json()) == (
        400,
        {"detail": "Invalid status transition.", "from": "planned", "to": "done"},
    )
    assert api.patch(url, json={"status": "planned"}, headers=admin).status_code == 200
    assert api.patch(url, json={"status": "confirmed"}, headers=admin).status_code == 200
    early = api.patch(url, json={"status": "running"}, headers=admin)
    assert (early.status_code, early.json()) == (
        400,
        {"detail": "running is only allowed when now >= start_time."},
    )
    assert scheduling_fixtures.actions(db) == [
        "operation_create",
        "operation_update",
        "operation_update",
        "op_status_update",
    ]
    rows = scheduling_fixtures.audit_rows(db)
    assert rows[-1].meta == {"from": "planned", "to": "confirmed", "ok": True}
    assert rows[-1].patient_id == practice.patient_id
    later = make_settings(
        database_url, tmp_path / "later", test_now=datetime(2027, 1, 18, 10, 5, tzinfo=BERLIN)
    )
    with shared_client(later) as client:
        running = client.patch(url, json={"status": "running"}, headers=admin)
        assert running.json()["status"] == "running"
        # running → confirmed is not allowed; done is.
        assert client.patch(url, json={"status": "confirmed"}, headers=admin).status_code == 400
        assert client.patch(url, json={"status": "done"}, headers=admin).json()["status"] == "done"
        # done is terminal (D-OP-07).
        assert client.patch(url, json={"status": "cancelled"}, headers=admin).json() == {
            "detail": "Invalid status transition.",
            "from": "done",
            "to": "cancelled",
        }


def test_failed_transition_with_schedule_change_writes_nothing(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op = plan(api, admin, practice.body())
    response = api.patch(
        f"/api/operations/{op['id']}/",
        json={"status": "running", "start_time": at(11)},
        headers=admin,
    )
    assert response.json()["detail"] == "Invalid status transition."
    assert scheduling_fixtures.actions(db) == ["operation_create"]
    assert (
        api.get(f"/api/operations/{op['id']}/", headers=admin).json()["start_time"]
        == (op["start_time"])
    )


def test_update_conflict_is_audited_with_the_body_patient(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    plan(api, admin, practice.body())
    other = plan(
        api,
        admin,
        practice.body(
            start_time=at(13), patient_id=2002, primary_surgeon=practice.other_surgeon.id
        ),
    )
    response = api.patch(
        f"/api/operations/{other['id']}/", json={"start_time": at(10, 10)}, headers=admin
    )
    assert response.json() == conflict("room_conflict")
    assert scheduling_fixtures.actions(db)[-1] == "operation_conflict"
    assert scheduling_fixtures.audit_rows(db)[-1].patient_id is None  # not in the request body


def test_update_unknown_id_is_404_before_body_validation(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    response = api.patch(
        "/api/operations/999999/",
        content=b"{bad",
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 404
    assert api.get("/api/operations/99999999999999999999/", headers=admin).status_code == 404


# --- delete -------------------------------------------------------------------------------


def test_delete_removes_devices_and_occupancy(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op = plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    scheduling_fixtures.assert_deleted(api, admin, f"/api/operations/{op['id']}/")
    assert occupancy(db, op["id"]) == []
    assert api.delete(f"/api/operations/{op['id']}/", headers=admin).status_code == 404
    plan(api, admin, practice.body(op_device_ids=[practice.device_id]))


def test_delete_refused_while_a_flow_references_the_operation(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op = plan(api, admin, practice.body())
    with db() as session, session.begin():  # stands in for the patient-flow table (05)
        session.execute(
            text(
                "CREATE TABLE flow_stub (id serial PRIMARY KEY, operation_id "
                "bigint REFERENCES operations(id) ON DELETE RESTRICT)"
            )
        )
        session.execute(text("INSERT INTO flow_stub (operation_id) VALUES (:id)"), {"id": op["id"]})
    response = api.delete(f"/api/operations/{op['id']}/", headers=admin)
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Operation is referenced by patient flow entries."},
    )
    assert scheduling_fixtures.actions(db)[-1] == "operation_create"


def test_referenced_master_data_cannot_be_deleted(
    api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    plan(api, admin, practice.body(op_device_ids=[practice.device_id]))
    for resource in (practice.room_id, practice.device_id):
        response = api.delete(f"/api/resources/{resource}/", headers=admin)
        assert (response.status_code, response.json()) == (
            409,
            {"detail": "Resource is in use; deactivate it instead."},
        )
    response = api.delete(f"/api/operation-types/{practice.type_id}/", headers=admin)
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Operation type is in use; deactivate it instead."},
    )


# --- list ---------------------------------------------------------------------------------


def test_list_filters_and_ordering(api: TestClient, admin: Headers, practice: OpPractice) -> None:
    late = plan(api, admin, practice.body(start_time=at(15)))
    early = plan(api, admin, practice.body(start_time=at(9)))
    tuesday = date(2027, 1, 19)
    other = plan(api, admin, practice.body(start_time=at(10, day=tuesday), patient_id=2002))
    api.patch(f"/api/operations/{late['id']}/", json={"status": "cancelled"}, headers=admin)

    def ids(**params: Any) -> list[int]:
        response = api.get("/api/operations/", params=params, headers=admin)
        assert response.status_code == 200
        return [op["id"] for op in response.json()]

    assert ids() == [early["id"], late["id"], other["id"]]
    assert ids(date=MONDAY.isoformat()) == [early["id"], late["id"]]
    assert ids(date=MONDAY.isoformat(), start_date=tuesday.isoformat()) == [early["id"], late["id"]]
    assert ids(start_date=tuesday.isoformat()) == [other["id"]]
    assert ids(end_date=MONDAY.isoformat()) == [early["id"], late["id"]]
    assert ids(patient_id=2002) == [other["id"]]
    # Invalid filters are ignored.
    assert ids(date="18.01.2027", patient_id="x") == [early["id"], late["id"], other["id"]]
    # Dates outside 1900–9000 are malformed (server/core/timefmt.py): ignored like any other.
    assert ids(date="9999-12-31", start_date="0001-01-01") == ids()


def test_list_is_rendered_in_a_bounded_number_of_queries(
    api: TestClient, admin: Headers, practice: OpPractice, engine: Any
) -> None:
    from sqlalchemy import event

    for hour in (9, 11, 13, 15):
        plan(
            api,
            admin,
            practice.body(
                start_time=at(hour),
                anesthesist=practice.anesthesist.id,
                op_device_ids=[practice.device_id],
            ),
        )
    app_engine = api.app.state.praxi.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(app_engine, "before_cursor_execute", count)
    try:
        assert len(api.get("/api/operations/", headers=admin).json()) == 4
    finally:
        event.remove(app_engine, "before_cursor_execute", count)
    selects = [s for s in statements if "FROM operations" in s]
    assert len(selects) == 1


# --- roles and unsupported methods -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/api/operations/", {"admin", "assistant"}),
        ("delete", "/api/operations/", {"admin", "assistant"}),
        ("post", "/api/operations/1/", {"admin", "assistant"}),
        ("get", "/api/operations/validate/", {"admin", "assistant"}),
        ("patch", "/api/operations/validate/", {"admin", "assistant"}),
        ("post", "/api/operations/suggest/", set()),
        ("delete", "/api/operations/suggest/", set()),
    ],
)
def test_unsupported_methods(
    method: str,
    path: str,
    allowed: set[str],
    api: TestClient,
    as_role: Callable[[str | None], Headers],
) -> None:
    for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
        response = api.request(method.upper(), path, headers=as_role(role))
        expected = 405 if role in allowed else 403
        assert response.status_code == expected, (role, response.text)
    assert api.request(method.upper(), path).status_code == 401


def test_other_roles_get_403_everywhere(
    api: TestClient, as_role: Callable[[str | None], Headers], admin: Headers, practice: OpPractice
) -> None:
    op = plan(api, admin, practice.body())
    for role in ("nurse", None):
        headers = as_role(role)
        assert api.get("/api/operations/", headers=headers).status_code == 403
        assert api.get(f"/api/operations/{op['id']}/", headers=headers).status_code == 403
        assert api.get("/api/operations/suggest/", headers=headers).status_code == 403
        assert api.post("/api/operations/validate/", json={}, headers=headers).status_code == 403


# --- dry run ------------------------------------------------------------------------------


def test_validate_answers_like_create_and_writes_nothing(
    api: TestClient,
    admin: Headers,
    as_role: Callable[[str | None], Headers],
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    ok = api.post("/api/operations/validate/", json=practice.body(), headers=admin)
    assert (ok.status_code, ok.json()) == (200, {"ok": True})
    op = plan(api, admin, practice.body())
    clash = api.post(
        "/api/operations/validate/",
        json=practice.body(primary_surgeon=practice.other_surgeon.id, patient_id=2002),
        headers=admin,
    )
    assert (clash.status_code, clash.json()) == (400, conflict("room_conflict"))
    # With id: validated as PUT of that operation (itself excluded).
    moved = api.post(
        "/api/operations/validate/",
        json=practice.body(id=op["id"], start_time=at(10, 10)),
        headers=admin,
    )
    assert moved.json() == {"ok": True}
    transition = api.post(
        "/api/operations/validate/",
        json={**practice.body(), "id": op["id"], "status": "done"},
        headers=admin,
    )
    assert transition.json()["detail"] == "Invalid status transition."
    assert (
        api.post("/api/operations/validate/", json={"id": 999999}, headers=admin).status_code == 404
    )
    assert api.post("/api/operations/validate/", json={"id": "x"}, headers=admin).json() == {
        "id": ["A valid integer is required."]
    }
    assert api.post(
        "/api/operations/validate/", json=practice.body(status="running"), headers=admin
    ).json() == {"status": ["Beim Anlegen sind nur planned oder confirmed erlaubt."]}
    for role in ("doctor", "billing"):
        assert (
            api.post(
                "/api/operations/validate/", json=practice.body(), headers=as_role(role)
            ).status_code
            == 403
        )
    assert scheduling_fixtures.actions(db) == ["operation_create"]
    assert len(api.get("/api/operations/", headers=admin).json()) == 1


# --- suggest ------------------------------------------------------------------------------


def suggest(api: TestClient, headers: Headers, **params: Any) -> Any:
    return api.get("/api/operations/suggest/", params=params, headers=headers)


@pytest.fixture
def suggest_params(practice: OpPractice) -> dict[str, Any]:
    return {
        "patient_id": 2002,
        "primary_surgeon_id": practice.surgeon.id,
        "op_type_id": practice.type_id,
        "op_room_id": practice.room_id,
        "start_date": MONDAY.isoformat(),
    }


def test_suggest_parameter_errors_in_order(
    api: TestClient,
    admin: Headers,
    practice: OpPractice,
    suggest_params: dict[str, Any],
    users: Users,
    db: sessionmaker[Session],
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"patient_id": None, "primary_surgeon_id": None},
            "patient_id query parameter is required.",
        ),
        ({"patient_id": "x", "op_type_id": None}, "patient_id must be an integer."),
        ({"primary_surgeon_id": None}, "primary_surgeon_id query parameter is required."),
        ({"primary_surgeon_id": "x"}, "primary_surgeon_id must be an integer."),
        ({"assistant_id": "x", "anesthesist_id": "y"}, "assistant_id must be an integer."),
        ({"anesthesist_id": "y"}, "anesthesist_id must be an integer."),
        ({"op_type_id": None}, "op_type_id query parameter is required."),
        ({"op_room_id": "r"}, "op_room_id must be an integer."),
        ({"op_device_ids": "1,x"}, "op_device_ids must be a comma-separated list of integers."),
        ({"start_date": "2027-1-18"}, "start_date must be in format YYYY-MM-DD."),
        ({"limit": "many"}, "limit must be an integer."),
        ({"limit": 0}, "limit must be >= 1."),
        ({"primary_surgeon_id": 999999}, "primary_surgeon_id not found."),
        ({"op_type_id": 999999}, "op_type_id not found."),
        (
            {"op_room_id": practice.device_id},
            'op_room_id must reference a Resource with type "room".',
        ),
        ({"op_room_id": 999999}, "op_room_id not found."),
        ({"assistant_id": 999999}, "assistant_id not found."),
        ({"anesthesist_id": 999999}, "anesthesist_id not found."),
        (
            {"op_device_ids": str(practice.room_id)},
            "op_device_ids contains unknown, inactive or non-device resources.",
        ),
    ]
    helper = users.create("assistant")
    cases.append(
        (
            {"primary_surgeon_id": helper.id},
            'primary_surgeon_id must reference a user with role "doctor".',
        )
    )
    cases.append(({"assistant_id": helper.id}, "assistant_id must reference an active doctor."))
    retired = users.create("doctor", is_active=False)
    cases.append(
        ({"primary_surgeon_id": retired.id}, "primary_surgeon_id must reference an active doctor.")
    )
    cases.append(
        ({"anesthesist_id": retired.id}, "anesthesist_id must reference an active doctor.")
    )
    for changes, detail in cases:
        params = {k: v for k, v in {**suggest_params, **changes}.items() if v is not None}
        response = suggest(api, admin, **params)
        assert (response.status_code, response.json()) == (400, {"detail": detail}), changes
    _set(db, OperationType, practice.type_id, active=False)
    assert suggest(api, admin, **suggest_params).json() == {"detail": "op_type_id is inactive."}
    _set(db, Resource, practice.room_id, active=False)
    _set(db, OperationType, practice.type_id, active=True)
    assert suggest(api, admin, **suggest_params).json() == {"detail": "op_room_id not found."}
    assert "operation_suggest" not in scheduling_fixtures.actions(db)


def test_suggest_spans_days_clamps_limit_and_skips_the_past(
    api: TestClient, admin: Headers, practice: OpPractice, suggest_params: dict[str, Any]
) -> None:
    body = suggest(api, admin, **{**suggest_params, "limit": 500}).json()
    # One slot per (practice × doctor window) pair and day: Mon–Fri of two weeks … up to 50.
    starts = [s["start_time"] for s in body["suggestions"]]
    assert len(starts) == len(set(starts))
    assert starts == sorted(starts)
    assert starts[0] == "2027-01-18T09:00:00+01:00"
    assert len(starts) <= 50
    past = suggest(api, admin, **{**suggest_params, "start_date": "2026-01-01", "limit": 1})
    # "now" is Monday 2027-01-11 08:00: the first slot is that day at 09:00.
    assert past.json()["suggestions"][0]["start_time"] == "2027-01-11T09:00:00+01:00"


def test_suggest_respects_patient_and_team_conflicts(
    api: TestClient, admin: Headers, practice: OpPractice, suggest_params: dict[str, Any]
) -> None:
    book_appointment(
        api,
        admin,
        patient_id=2002,
        doctor=practice.other_surgeon.id,
        start_time=at(9),
        end_time=at(9, 30),
    )
    plan(
        api,
        admin,
        practice.body(
            primary_surgeon=practice.anesthesist.id,
            op_room=practice.other_room_id,
            start_time=at(9, 30),
            patient_id=4004,
        ),
    )
    body = suggest(
        api, admin, **{**suggest_params, "anesthesist_id": practice.anesthesist.id, "limit": 1}
    ).json()
    assert body["suggestions"][0]["start_time"] == "2027-01-18T10:20:00+01:00"


def test_suggest_for_doctors_only_for_themselves(
    api: TestClient, users: Users, practice: OpPractice, suggest_params: dict[str, Any]
) -> None:
    headers = users.headers(practice.surgeon)
    assert suggest(api, headers, **suggest_params).status_code == 200
    other = {**suggest_params, "primary_surgeon_id": practice.other_surgeon.id}
    assert suggest(api, headers, **other).status_code == 403
    missing = {k: v for k, v in suggest_params.items() if k != "primary_surgeon_id"}
    assert suggest(api, headers, **missing).status_code == 403
    # 403 before any 400.
    assert suggest(api, headers, primary_surgeon_id=practice.other_surgeon.id).status_code == 403


# --- live events --------------------------------------------------------------------------


def test_writes_publish_operation_events(
    api: TestClient, admin: Headers, practice: OpPractice, database_url: str
) -> None:
    import json

    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as listener:
        listener.execute("LISTEN praxi_events")
        op = plan(api, admin, practice.body())
        api.patch(f"/api/operations/{op['id']}/", json={"status": "confirmed"}, headers=admin)
        rejected(api, admin, practice.body(primary_surgeon=practice.other_surgeon.id))
        api.delete(f"/api/operations/{op['id']}/", headers=admin)
        events = []
        for note in listener.notifies(timeout=2, stop_after=3):
            events.append(json.loads(note.payload))
    assert [(e["entity"], e["id"], e["action"]) for e in events] == [
        ("operation", op["id"], "created"),
        ("operation", op["id"], "updated"),
        ("operation", op["id"], "deleted"),
    ]


@pytest.mark.parametrize(
    "start",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T10:00:00Z",
        "0001-01-03T10:00:00",
        "9999-12-30T10:00:00Z",
        "9999-12-31T10:00:00",
    ],
)
def test_extreme_start_times_never_500(
    start: str, api: TestClient, admin: Headers, practice: OpPractice
) -> None:
    created = api.post("/api/operations/", json=practice.body(start_time=start), headers=admin)
    assert created.status_code == 400, created.text
    checked = api.post(
        "/api/operations/validate/", json=practice.body(start_time=start), headers=admin
    )
    assert checked.status_code == 400, checked.text


def test_suggest_extreme_start_dates(
    api: TestClient, admin: Headers, suggest_params: dict[str, Any]
) -> None:
    # Dates outside 1900–9000 are format errors (server/core/timefmt.py), never a 500.
    for start_date in ("9999-12-31", "0001-01-01"):
        response = suggest(api, admin, **{**suggest_params, "start_date": start_date})
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "start_date must be in format YYYY-MM-DD."},
        )
    huge = suggest(api, admin, **{**suggest_params, "primary_surgeon_id": 2**63})
    assert huge.json() == {
        "detail": "Ensure this value is less than or equal to 9223372036854775807."
    }
