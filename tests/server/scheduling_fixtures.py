"""A small practice for appointment tests: hours, doctors, a patient, types and resources.

Dates: Monday 2027-01-18 is the working day under test; "now" is fixed a week earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import AppointmentType, Resource
from server.patients.models import Patient
from server.users.models import User
from server.working_hours.models import DoctorHours, PracticeHours
from tests.server.conftest import Users

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
