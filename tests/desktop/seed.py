"""A small practice on Monday 2027-01-18: three doctors, hours, types, patients, appointments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import AppointmentType, Resource
from server.patients.models import Patient
from server.working_hours.models import DoctorBreak, DoctorHours, PracticeHours
from tests.server.conftest import TEST_SECRET, Users

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2027, 1, 18)
NOW = datetime(2027, 1, 18, 9, 40, tzinfo=BERLIN)
PASSWORD = "correct-horse-42"


def at(hour: int, minute: int = 0, day: date = MONDAY) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat()


@dataclass
class SeededPractice:
    url: str
    doctors: list[int]
    assistant_id: int
    type_id: int
    room_id: int
    patient_ids: list[int]
    appointments: dict[str, int] = field(default_factory=dict)
    assistant_username: str = "mfa.klein"
    password: str = PASSWORD
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, headers=self.headers, timeout=10)

    def appointment(self, appointment_id: int) -> dict[str, object]:
        return dict(self.get(f"/api/appointments/{appointment_id}/").json())


def seed_practice(db: sessionmaker[Session], users: Users, url: str = "") -> SeededPractice:
    users = Users(db, TEST_SECRET)
    doctors = [
        users.create(
            "doctor", "dr.mueller", first_name="Anna", last_name="Müller", calendar_color="#4C8BD6"
        ),
        users.create(
            "doctor",
            "dr.schmidt",
            first_name="Bernd",
            last_name="Schmidt",
            calendar_color="#7BC47F",
        ),
        users.create(
            "doctor", "dr.weber", first_name="Clara", last_name="Weber", calendar_color="#E8A87C"
        ),
    ]
    assistant = users.create(
        "assistant", "mfa.klein", password=PASSWORD, first_name="Lena", last_name="Klein"
    )
    with db() as session, session.begin():
        for weekday in range(5):
            session.add(PracticeHours(weekday=weekday, start_time=time(8), end_time=time(18)))
            for doctor in doctors:
                session.add(
                    DoctorHours(
                        doctor_id=doctor.id, weekday=weekday, start_time=time(8), end_time=time(17)
                    )
                )
        session.add(
            DoctorBreak(
                doctor_id=None,
                date=MONDAY,
                start_time=time(12, 30),
                end_time=time(13, 15),
                reason="Mittagspause",
            )
        )
        patients = [
            Patient(
                id=1001, first_name="Max", last_name="Mustermann", birth_date=date(1990, 5, 15)
            ),
            Patient(
                id=1002, first_name="Erika", last_name="Musterfrau", birth_date=date(1985, 3, 2)
            ),
            Patient(id=1003, first_name="Jonas", last_name="Becker", birth_date=date(1977, 11, 30)),
            Patient(id=1004, first_name="Sophie", last_name="Wagner", birth_date=date(2001, 7, 9)),
        ]
        kind = AppointmentType(name="Kontrolle", color="#F2C14E", duration_minutes=30)
        room = Resource(name="Behandlungsraum 1", type="room", color="#6A5ACD")
        session.add_all([*patients, kind, room])
        session.flush()
        type_id, room_id = kind.id, room.id
    headers = users.headers(assistant)
    return SeededPractice(
        url,
        [d.id for d in doctors],
        assistant.id,
        type_id,
        room_id,
        [1001, 1002, 1003, 1004],
        headers=headers,
    )


def book(
    practice: SeededPractice,
    name: str,
    patient: int,
    doctor: int,
    start: str,
    end: str,
    **extra: object,
) -> int:
    body = {
        "patient_id": patient,
        "doctor": doctor,
        "type": practice.type_id,
        "start_time": start,
        "end_time": end,
        **extra,
    }
    response = httpx.post(
        practice.url + "/api/appointments/", json=body, headers=practice.headers, timeout=10
    )
    assert response.status_code == 201, response.text
    practice.appointments[name] = int(response.json()["id"])
    return practice.appointments[name]


def book_default_day(practice: SeededPractice) -> None:
    """Müller 09:00–09:30 Mustermann, Müller 10:00–10:30 Musterfrau, Schmidt 10:00–11:00 Becker."""
    d = practice.doctors
    book(practice, "mueller_9", 1001, d[0], at(9), at(9, 30))
    book(practice, "mueller_10", 1002, d[0], at(10), at(10, 30))
    book(practice, "schmidt_10", 1003, d[1], at(10), at(11))
