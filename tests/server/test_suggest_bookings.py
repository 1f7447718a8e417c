"""Suggestions see every booking that blocks the requested doctor or resources.

The server first asks only the requested doctor's own bookings and those of the requested
resources (the common case answers from them); these tests pin that operations count too:
an operation blocks every member of its team and its room.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import OperationType
from server.users.models import User
from tests.server.conftest import Users
from tests.server.planning_helpers import MONDAY, Clinic, api_at, local

URL = "/api/appointments/suggest/"


@pytest.fixture
def clinic(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> Iterator[Clinic]:
    admin = users.headers(users.create("admin", "chef"))
    with api_at(database_url, tmp_path) as api:
        yield Clinic(db, users, api, admin)


def first_slot(clinic: Clinic, doctor: User, **params: Any) -> tuple[str, str]:
    response = clinic.api.get(
        URL,
        params={
            "doctor_id": doctor.id,
            "duration_minutes": 30,
            "start_date": MONDAY.isoformat(),
            **params,
        },
        headers=clinic.admin,
    )
    assert response.status_code == 200, response.text
    suggestion = response.json()["primary_suggestions"][0]
    return suggestion["start_time"], suggestion["end_time"]


def test_an_operation_blocks_its_team_and_its_room(clinic: Clinic) -> None:
    surgeon = clinic.doctor("Clara", "Weber")
    assistant = clinic.doctor("Anna", "Müller")
    other = clinic.doctor("Bernd", "Schmidt")
    clinic.hours(8, 12, surgeon, assistant, other)
    room = clinic.resource("OP 1")
    kind = OperationType(name="Arthroskopie", prep_duration=0, op_duration=60, post_duration=0)
    clinic._add(kind)
    response = clinic.api.post(
        "/api/operations/",
        json={
            "patient_id": 4711,
            "primary_surgeon": surgeon.id,
            "assistant": assistant.id,
            "op_room": room,
            "op_type": kind.id,
            "start_time": local(8, 0),
        },
        headers=clinic.admin,
    )
    assert response.status_code == 201, response.text

    assert first_slot(clinic, assistant) == (local(9, 0), local(9, 30))
    assert first_slot(clinic, other) == (local(8, 0), local(8, 30))
    assert first_slot(clinic, other, resource_ids=str(room)) == (local(9, 0), local(9, 30))


def test_another_doctors_appointment_with_the_device_blocks_it(clinic: Clinic) -> None:
    doctor_a = clinic.doctor("Anna", "Müller")
    doctor_b = clinic.doctor("Bernd", "Schmidt")
    clinic.hours(8, 12, doctor_a, doctor_b)
    device = clinic.resource("Ultraschall", kind="device")
    clinic.book(doctor_a, (8, 0), (9, 0), resource_ids=(device,))

    assert first_slot(clinic, doctor_b) == (local(8, 0), local(8, 30))
    assert first_slot(clinic, doctor_b, resource_ids=str(device)) == (local(9, 0), local(9, 30))
