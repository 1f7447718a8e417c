"""Arrange helpers for the planning reads (suggest, availability, doctor lists).

A ``Clinic`` writes master data straight into the database (hours, absences, breaks, rooms,
types, patients) and books appointments through the API as an admin, so the bookings are
exactly what production writes. Dates: Monday 2027-01-18 is the day under test; "now" is
fixed a week earlier (``NOW``) unless a test starts its own app.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.master_data.models import AppointmentType, Resource
from server.patients.models import Patient
from server.users.models import User
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings

Headers = dict[str, str]
DENIED = {"detail": "You do not have permission to perform this action."}
OTHER_ROLES = ("nurse", "reception", "lab", "management")
MONDAY = date(2027, 1, 18)
NEXT_MONDAY = MONDAY + timedelta(days=7)
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 11, 8, 0, tzinfo=BERLIN)
_patient_numbers = itertools.count(5000)  # a fresh patient per booking unless one is given


def local(hour: int, minute: int = 0, day: date = MONDAY) -> str:
    """A practice-local datetime in API output format (``2027-01-18T09:00:00+01:00``)."""
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).isoformat()


@contextmanager
def api_at(database_url: str, tmp_path: Path, now: datetime = NOW) -> Iterator[TestClient]:
    """An app whose clock shows ``now`` (00 §6 test hook)."""
    settings = make_settings(database_url, tmp_path / now.strftime("%Y%m%d%H%M"), test_now=now)
    with shared_client(settings) as client:
        yield client


@contextmanager
def counting_queries(client: TestClient) -> Iterator[list[str]]:
    """Collects the SQL statements the app runs while the block is active."""
    engine = client.app.state.praxi.engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def audit_actions(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def audit_rows(db: sessionmaker[Session], action: str) -> list[AuditLog]:
    with db() as session:
        return list(
            session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        )


@dataclass
class Clinic:
    db: sessionmaker[Session]
    users: Users
    api: TestClient
    admin: Headers

    def _add(self, *rows: Any) -> None:
        with self.db() as session, session.begin():
            session.add_all(rows)

    def doctor(self, first: str, last: str, color: str = "#1E90FF", **fields: Any) -> User:
        username = fields.pop("username", f"dr.{last.lower()}")
        return self.users.create(
            "doctor", username, first_name=first, last_name=last, calendar_color=color, **fields
        )

    def practice_hours(self, start: int, end: int, weekday: int = 0) -> None:
        self._add(PracticeHours(weekday=weekday, start_time=time(start), end_time=time(end)))

    def doctor_hours(self, doctor: User, start: int, end: int, weekday: int = 0) -> None:
        self._add(
            DoctorHours(
                doctor_id=doctor.id, weekday=weekday, start_time=time(start), end_time=time(end)
            )
        )

    def hours(self, start: int, end: int, *doctors: User, weekday: int = 0) -> None:
        """Practice and every given doctor work ``start``–``end`` on ``weekday``."""
        self.practice_hours(start, end, weekday)
        for doctor in doctors:
            self.doctor_hours(doctor, start, end, weekday)

    def absence(self, doctor: User, first: date, last: date | None = None) -> None:
        self._add(DoctorAbsence(doctor_id=doctor.id, start_date=first, end_date=last or first))

    def break_(
        self, doctor: User | None, start: tuple[int, int], end: tuple[int, int], day: date = MONDAY
    ) -> None:
        self._add(
            DoctorBreak(
                doctor_id=doctor.id if doctor else None,
                date=day,
                start_time=time(*start),
                end_time=time(*end),
            )
        )

    def resource(self, name: str, kind: str = "room", color: str = "#6A5ACD", **fields: Any) -> int:
        row = Resource(name=name, type=kind, color=color, **fields)
        self._add(row)
        return row.id

    def appointment_type(
        self, name: str = "Kontrolle", minutes: int | None = 30, color: str = "#2E8B57", **f: Any
    ) -> int:
        row = AppointmentType(name=name, duration_minutes=minutes, color=color, **f)
        self._add(row)
        return row.id

    def patient(self, patient_id: int, first: str, last: str, birth: date | None = None) -> None:
        self._add(Patient(id=patient_id, first_name=first, last_name=last, birth_date=birth))

    def book(
        self,
        doctor: User,
        start: tuple[int, int],
        end: tuple[int, int],
        *,
        day: date = MONDAY,
        patient_id: int | None = None,
        resource_ids: tuple[int, ...] = (),
        status: str = "scheduled",
    ) -> int:
        body = {
            "patient_id": patient_id or next(_patient_numbers),
            "doctor": doctor.id,
            "start_time": local(*start, day=day),
            "end_time": local(*end, day=day),
            "resource_ids": list(resource_ids),
            "status": status,
        }
        response = self.api.post("/api/appointments/", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        appointment_id: int = response.json()["id"]
        return appointment_id
