"""Small practices for the appointment and operation tests, and the setup they share.

Hours, doctors, a patient, types and resources (``build_practice`` for appointments,
``build_op_practice`` for operations); a client at the fixed "now", an admin, the audit
trail. Dates: Monday 2027-01-18 is the working day under test; "now" is a week earlier.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.master_data.models import AppointmentType, OperationType, Resource
from server.patients.models import Patient
from server.users.models import User
from server.working_hours.models import DoctorHours, PracticeHours
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings

Headers = dict[str, str]
# The keys of a resource object inside appointments and operations (02 §5).
RESOURCE_KEYS = {"id", "name", "type", "color", "active", "created_at", "updated_at"}
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2027, 1, 18)
NOW = datetime(2027, 1, 11, 8, 0, tzinfo=BERLIN)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> str:
    """A practice-local datetime in API format."""
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).isoformat()


@dataclass
class Practice:
    doctor: User
    other_doctor: User
    patient_id: int
    type_id: int
    room_id: int
    device_id: int
    other_room_id: int

    def body(self, **changes: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "patient_id": self.patient_id,
            "doctor": self.doctor.id,
            "type": self.type_id,
            "start_time": at(10),
            "end_time": at(10, 30),
        }
        values.update(changes)
        return values


def build_practice(db: sessionmaker[Session], users: Users) -> Practice:
    doctor = users.create(
        "doctor", "dr.mueller", first_name="Anna", last_name="Müller", calendar_color="#123456"
    )
    other = users.create("doctor", "dr.schmidt", first_name="Bernd", last_name="Schmidt")
    with db() as session, session.begin():
        for weekday in range(5):
            session.add(PracticeHours(weekday=weekday, start_time=time(8), end_time=time(18)))
            for user in (doctor, other):
                session.add(
                    DoctorHours(
                        doctor_id=user.id, weekday=weekday, start_time=time(9), end_time=time(17)
                    )
                )
        patient = Patient(
            id=1001, first_name="Max", last_name="Mustermann", birth_date=date(1990, 5, 15)
        )
        kind = AppointmentType(name="Kontrolle", color="#ABCDEF", duration_minutes=30)
        room = Resource(name="Ultraschallraum", type="room", color="#6A5ACD")
        device = Resource(name="EKG", type="device", color="#FF0000")
        other_room = Resource(name="Raum 2", type="room")
        session.add_all([patient, kind, room, device, other_room])
        session.flush()
        return Practice(doctor, other, patient.id, kind.id, room.id, device.id, other_room.id)


@dataclass
class OpPractice:
    surgeon: User
    other_surgeon: User
    anesthesist: User
    patient_id: int
    type_id: int
    room_id: int
    other_room_id: int
    device_id: int
    other_device_id: int

    def body(self, **changes: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "patient_id": self.patient_id,
            "primary_surgeon": self.surgeon.id,
            "op_room": self.room_id,
            "op_type": self.type_id,
            "start_time": at(10),
        }
        values.update(changes)
        return values


def build_op_practice(
    db: sessionmaker[Session],
    users: Users,
    *,
    practice_hours: tuple[int, int] = (8, 18),
    doctor_hours: tuple[int, int] = (9, 17),
) -> OpPractice:
    """Mon–Fri hours for three doctors, a 10/30/10 type, two rooms, two devices."""
    surgeon = users.create("doctor", "dr.berg", first_name="Anna", last_name="Berg")
    other = users.create(
        "doctor", "dr.keller", first_name="Jonas", last_name="Keller", calendar_color="#FF8C00"
    )
    anesthesist = users.create("doctor", "dr.narkose", first_name="Nina", last_name="Narkose")
    with db() as session, session.begin():
        for weekday in range(5):
            session.add(
                PracticeHours(
                    weekday=weekday,
                    start_time=time(practice_hours[0]),
                    end_time=time(practice_hours[1]),
                )
            )
            for user in (surgeon, other, anesthesist):
                session.add(
                    DoctorHours(
                        doctor_id=user.id,
                        weekday=weekday,
                        start_time=time(doctor_hours[0]),
                        end_time=time(doctor_hours[1]),
                    )
                )
        patient = Patient(
            id=1007, first_name="Erika", last_name="Muster", birth_date=date(1961, 3, 12)
        )
        kind = OperationType(
            name="Standard-OP", prep_duration=10, op_duration=30, post_duration=10, color="#8A2BE2"
        )
        room = Resource(name="OP 1", type="room", color="#6A5ACD")
        other_room = Resource(name="OP 2", type="room")
        device = Resource(name="C-Bogen", type="device", color="#228B22")
        other_device = Resource(name="Arthroskop", type="device")
        session.add_all([patient, kind, room, other_room, device, other_device])
        session.flush()
        return OpPractice(
            surgeon,
            other,
            anesthesist,
            patient.id,
            kind.id,
            room.id,
            other_room.id,
            device.id,
            other_device.id,
        )


# Fixtures: a test module takes them over by assignment (``api = scheduling_fixtures.api``);
# pytest registers them under the name they are assigned to.


@pytest.fixture
def appointment_practice(db: sessionmaker[Session], users: Users) -> Practice:
    return build_practice(db, users)


@pytest.fixture
def op_practice(db: sessionmaker[Session], users: Users) -> OpPractice:
    return build_op_practice(db, users)


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def audit_rows(db: sessionmaker[Session]) -> list[AuditLog]:
    with db() as session:
        return list(session.scalars(select(AuditLog).order_by(AuditLog.id)))


def actions(db: sessionmaker[Session]) -> list[str]:
    return [row.action for row in audit_rows(db)]


def assert_deleted(api: TestClient, headers: Headers, url: str) -> None:
    """DELETE answers 204, and the row is gone (404) afterwards."""
    assert api.delete(url, headers=headers).status_code == 204
    assert api.get(url, headers=headers).status_code == 404
