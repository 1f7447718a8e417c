"""Suggestions stay right while the scheduling data is kept between requests (issue 23).

``server.bookings.scheduling_cache`` keeps what suggest and availability read per process;
every way the underlying rows change must show in the next answer: a booking through the
API, a write behind the API's back in this process (a session of its own, plain SQL text),
a write through another worker (the LISTEN/NOTIFY notice), and a rolled-back write must not
empty the cache (docs/performance.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session, sessionmaker

from server.bookings.scheduling_cache import cache_for
from server.core.events import CHANNEL
from server.working_hours.models import DoctorBreak
from tests.server.conftest import Users
from tests.server.planning_helpers import MONDAY, NOW, Clinic, Headers, api_at, local

URL = "/api/appointments/suggest/"
NOTIFY_WAIT_SECONDS = 10.0


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


def first_slot(api: TestClient, headers: Headers, doctor_id: int) -> str:
    response = api.get(
        URL,
        params={"doctor_id": doctor_id, "duration_minutes": 30, "start_date": MONDAY.isoformat()},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    start: str = body["primary_suggestions"][0]["start_time"]
    return start


def cached_entries(api: TestClient) -> int:
    return len(cache_for(api.app.state.praxi.engine))  # type: ignore[attr-defined]


def warm(api: TestClient, headers: Headers, doctor_id: int) -> str:
    """Ask until the answer comes from the cache (the app's listener is connected)."""
    deadline = time.monotonic() + NOTIFY_WAIT_SECONDS
    start = first_slot(api, headers, doctor_id)
    while cached_entries(api) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
        start = first_slot(api, headers, doctor_id)
    assert cached_entries(api) > 0, "the scheduling cache never kept anything"
    return start


def eventually(ask: Callable[[], str], done: Callable[[str], bool]) -> str:
    deadline = time.monotonic() + NOTIFY_WAIT_SECONDS
    answer = ask()
    while not done(answer) and time.monotonic() < deadline:
        time.sleep(0.02)
        answer = ask()
    return answer


def test_a_booking_is_gone_from_the_very_next_suggestion(clinic: Clinic, admin: Headers) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    assert warm(clinic.api, admin, doctor.id) == local(9)

    clinic.book(doctor, (9, 0), (9, 30))
    assert first_slot(clinic.api, admin, doctor.id) == local(9, 30)


def test_writes_behind_the_api_in_this_process_count_at_once(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session]
) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    assert warm(clinic.api, admin, doctor.id) == local(9)

    with db() as session, session.begin():  # an ORM session of its own
        session.add(
            DoctorBreak(
                doctor_id=doctor.id, date=MONDAY, start_time=clock_time(9), end_time=clock_time(10)
            )
        )
    assert first_slot(clinic.api, admin, doctor.id) == local(10)

    with db() as session, session.begin():  # plain SQL text
        session.execute(text("UPDATE doctor_breaks SET end_time = '11:00'"))
    assert first_slot(clinic.api, admin, doctor.id) == local(11)


def test_a_rolled_back_write_changes_nothing(
    clinic: Clinic, admin: Headers, db: sessionmaker[Session]
) -> None:
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    assert warm(clinic.api, admin, doctor.id) == local(9)
    with db() as session:
        session.execute(text("DELETE FROM doctor_hours"))
        session.rollback()
    assert cached_entries(clinic.api) > 0
    assert first_slot(clinic.api, admin, doctor.id) == local(9)


def test_another_worker_learns_of_a_write_through_the_notice(
    clinic: Clinic, admin: Headers, database_url: str
) -> None:
    """Another worker's write reaches this process only as its ``pg_notify`` (the SQLAlchemy
    hooks see nothing): a connection of its own writes and publishes as an API write does."""
    doctor = clinic.doctor("Anna", "Müller")
    clinic.hours(9, 17, doctor)
    assert warm(clinic.api, admin, doctor.id) == local(9)
    notice = {"entity": "doctor_break", "id": 1, "action": "created", "at": NOW.isoformat()}
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as conn:
        conn.execute(
            "INSERT INTO doctor_breaks (doctor_id, date, start_time, end_time, active) "
            "VALUES (%s, %s, '09:00', '09:45', true)",
            (doctor.id, MONDAY),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, json.dumps(notice)))
    seen = eventually(
        lambda: first_slot(clinic.api, admin, doctor.id), lambda start: start == local(9, 45)
    )
    assert seen == local(9, 45)
