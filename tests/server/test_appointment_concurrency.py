"""No double booking under concurrency (00 §9, 03 §4.5): 50 simultaneous conflicting POSTs
against a live uvicorn on the embedded database — exactly one wins, the others get the same
answer as the application check, never a 500."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import NOW, Practice, build_practice

ATTEMPTS = 50


def fire(base: str, headers: dict[str, str], bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))

    def post(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            return client.post("/api/appointments/", json=body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


SCENARIOS = {
    # every request: same doctor, same time, different patients and no resources
    "same doctor": (
        lambda p, i: p.body(patient_id=5000 + i),
        {"detail": ["Doctor unavailable."], "reason": ["doctor_busy"]},
    ),
    # different doctors (alternating), different patients, the same room
    "same room": (
        lambda p, i: p.body(
            patient_id=5000 + i,
            doctor=(p.doctor, p.other_doctor)[i % 2].id,
            resource_ids=[p.room_id],
        ),
        None,  # doctor_busy for a same-doctor loser, Resource conflict for the other doctor
    ),
    # the same patient with two doctors
    "same patient": (
        lambda p, i: p.body(doctor=(p.doctor, p.other_doctor)[i % 2].id),
        None,
    ),
}

ALLOWED_LOSER_BODIES = [
    {"non_field_errors": ["Resource conflict"]},
    {"detail": ["Appointment conflict: patient already has an appointment in this time range."]},
    {"detail": "Concurrent booking conflict, please retry."},
]


@pytest.mark.external_postgres
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_exactly_one_of_fifty_conflicting_bookings_wins(
    scenario: str, database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    practice: Practice = build_practice(db, users)
    headers = users.headers(users.create("assistant"))
    make_body, expected = SCENARIOS[scenario]
    bodies = [make_body(practice, i) for i in range(ATTEMPTS)]
    settings = make_settings(database_url, tmp_path, test_now=NOW)
    with live_server(settings) as base:
        responses = fire(base, headers, bodies)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    for response in responses:
        if response.status_code == 201:
            continue
        body = response.json()
        if expected is not None and response.status_code == 400:
            assert {k: body[k] for k in expected} == expected
        elif body.get("detail") != ["Doctor unavailable."]:
            assert body in ALLOWED_LOSER_BODIES, body
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1


@pytest.mark.external_postgres
def test_the_database_itself_refuses_overlapping_occupancy(
    db: sessionmaker[Session], users: Users
) -> None:
    """Even a write that skips every application check cannot double-book."""
    from psycopg import errors as pg_errors
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    practice = build_practice(db, users)
    # Every occupancy row has exactly one owner (an appointment or an operation).
    with db() as session, session.begin():
        owner = Appointment(
            patient_id=practice.patient_id,
            doctor_id=practice.doctor.id,
            start_time=datetime(2027, 1, 18, 9, tzinfo=UTC),
            end_time=datetime(2027, 1, 18, 10, tzinfo=UTC),
            status="cancelled",
        )
        session.add(owner)
        session.flush()
        owner_id = owner.id
    insert = text(
        "INSERT INTO occupancies (appointment_id, kind, subject_id, period) "
        "VALUES (:owner, 'resource', :room, tstzrange(:start, :end, '[)'))"
    )
    with db() as session, session.begin():
        session.execute(
            insert,
            {
                "owner": owner_id,
                "room": practice.room_id,
                "start": "2027-01-18T10:00+01",
                "end": "2027-01-18T10:30+01",
            },
        )
        # Touching periods are fine (half-open ranges).
        session.execute(
            insert,
            {
                "owner": owner_id,
                "room": practice.room_id,
                "start": "2027-01-18T10:30+01",
                "end": "2027-01-18T11:00+01",
            },
        )
    with db() as session, pytest.raises(IntegrityError) as caught:
        session.execute(
            insert,
            {
                "owner": owner_id,
                "room": practice.room_id,
                "start": "2027-01-18T10:15+01",
                "end": "2027-01-18T10:45+01",
            },
        )
    assert isinstance(caught.value.orig, pg_errors.ExclusionViolation)
