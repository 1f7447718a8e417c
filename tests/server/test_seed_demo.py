"""``praxi-server seed-demo`` (small size): counts, conflict-free bookings, hours, login."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.appointments import scheduling_data
from server.appointments.models import Appointment, AppointmentResource, Occupancy
from server.cli import main
from server.demo.seed import (
    PASSWORD_ENV,
    SIZES,
    DemoSeedRefused,
    password_from_env,
    seed_demo,
)
from server.master_data.models import AppointmentType, OperationType, Resource
from server.patients.models import Patient
from server.users.models import Role, User
from shared.scheduling import Interval
from shared.scheduling.checks import check_appointment
from shared.scheduling.wallclock import local_date
from tests.server.conftest import make_settings

TZ = ZoneInfo("Europe/Berlin")
DEMO_PASSWORD = "demo-passwort-" + "7" * 6
# A Wednesday noon: the small data set spans Mon 2026-03-02 … Fri 2026-03-13.
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)


@pytest.fixture
def seeded(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, db: sessionmaker[Session]
) -> sessionmaker[Session]:
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    summary = seed_demo(engine, size="small", password=password_from_env(), tz=TZ, now=NOW)
    assert summary.appointments == SIZES["small"].appointments
    assert summary.usernames[:3] == ["dr.mueller", "dr.schmidt", "dr.schneider"]
    return db


def test_small_seed_counts(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        roles = Counter(
            session.execute(select(Role.name).join(User, User.role_id == Role.id)).scalars()
        )
        assert roles == {"doctor": 3, "assistant": 1, "admin": 1}
        # One hash for everybody: hashed once, reused.
        assert session.scalar(select(func.count(func.distinct(User.password_hash)))) == 1
        assert session.scalar(select(func.count()).select_from(Patient)) == 40
        assert session.scalar(select(func.count()).select_from(AppointmentType)) == 10
        assert session.scalar(select(func.count()).select_from(OperationType)) == 5
        resource_types = Counter(session.scalars(select(Resource.type)))
        assert resource_types == {"room": 6, "device": 6}
        appointments = session.scalars(select(Appointment)).all()
        assert len(appointments) == 150
        days = {local_date(a.start_time, TZ) for a in appointments}
        assert min(days).isoformat() >= "2026-03-02"
        assert max(days).isoformat() <= "2026-03-13"
        assert all(day.weekday() < 5 for day in days)
        statuses = Counter(a.status for a in appointments)
        assert statuses["cancelled"] < 30
        assert statuses["completed"] > 0
        assert statuses["scheduled"] > 0
        # Past appointments are never "scheduled in the future" and vice versa.
        assert all(a.status != "completed" for a in appointments if a.end_time > NOW)
        assert session.scalar(select(func.count()).select_from(AppointmentResource)) > 0


def test_occupancy_rows_match_sync_occupancy(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        bookings: dict[int, set[int]] = {}
        for appointment_id, resource_id in session.execute(
            select(AppointmentResource.appointment_id, AppointmentResource.resource_id)
        ):
            bookings.setdefault(appointment_id, set()).add(resource_id)
        expected = set()
        for a in session.scalars(select(Appointment)):
            if a.status == "cancelled":
                continue
            expected |= {("doctor", a.doctor_id, a.id), ("patient", a.patient_id, a.id)}
            expected |= {("resource", r, a.id) for r in bookings.get(a.id, ())}
            period = session.scalar(
                select(Occupancy.period).where(Occupancy.appointment_id == a.id).limit(1)
            )
            assert period is not None
            assert (period.lower, period.upper, period.bounds) == (
                a.start_time,
                a.end_time,
                "[)",
            )
        actual = {
            (kind, subject, appointment_id)
            for kind, subject, appointment_id in session.execute(
                select(Occupancy.kind, Occupancy.subject_id, Occupancy.appointment_id)
            )
        }
        assert actual == expected
        overlapping = session.scalar(
            text(
                "SELECT count(*) FROM occupancies a JOIN occupancies b "
                "ON a.kind = b.kind AND a.subject_id = b.subject_id AND a.id < b.id "
                "AND a.period && b.period"
            )
        )
        assert overlapping == 0


def test_every_appointment_passes_the_scheduling_checks(seeded: sessionmaker[Session]) -> None:
    """Practice hours, doctor hours, absences, breaks, doctor/resource/patient conflicts."""
    with seeded() as session:
        rows = session.execute(
            select(Appointment.id, Appointment.doctor_id, Appointment.patient_id)
            .add_columns(Appointment.start_time, Appointment.end_time)
            .order_by(Appointment.start_time)
        ).all()
        bookings: dict[int, list[int]] = {}
        for appointment_id, resource_id in session.execute(
            select(AppointmentResource.appointment_id, AppointmentResource.resource_id)
        ):
            bookings.setdefault(appointment_id, []).append(resource_id)
        cache: dict[object, scheduling_data.SchedulingData] = {}
        for appointment_id, doctor_id, patient_id, start, end in rows:
            day = local_date(start, TZ)
            if day not in cache:
                cache[day] = scheduling_data.load(session, TZ, day, day)
            verdict = check_appointment(
                cache[day],
                Interval(start.astimezone(UTC), end.astimezone(UTC)),
                doctor_id=doctor_id,
                patient_id=patient_id,
                resource_ids=bookings.get(appointment_id, []),
                exclude_appointment_id=appointment_id,
            )
            assert verdict.failure is None, (appointment_id, verdict.failure)


def test_demo_users_log_in_with_the_env_password(
    seeded: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path / "data")
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        for username in ("dr.mueller", "mfa.koch", "admin.hoffmann"):
            response = client.post(
                "/api/auth/login/", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
        wrong = client.post(
            "/api/auth/login/", json={"username": "dr.mueller", "password": "falsch-falsch"}
        )
        assert wrong.status_code == 400


def test_second_seed_is_refused(seeded: sessionmaker[Session], engine: Engine) -> None:
    with pytest.raises(DemoSeedRefused, match="already holds data"):
        seed_demo(engine, size="small", password=DEMO_PASSWORD, tz=TZ, now=NOW)
    with seeded() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 150


def test_password_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(DemoSeedRefused, match=PASSWORD_ENV):
        password_from_env()
    monkeypatch.setenv(PASSWORD_ENV, "short")
    with pytest.raises(DemoSeedRefused, match="at least 8"):
        password_from_env()


def test_cli_seed_demo(
    database_url: str,
    db: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert main(["seed-demo"]) == 2
    assert PASSWORD_ENV in capsys.readouterr().err

    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    assert main(["seed-demo", "--size", "small"]) == 0
    out = capsys.readouterr().out
    assert "Seeded demo data (small)" in out
    assert "dr.mueller" in out
    assert DEMO_PASSWORD not in out
    with db() as session:
        count = session.scalar(select(func.count()).select_from(Appointment))
        first = session.scalar(select(func.min(Appointment.start_time)))
    assert count == 150
    assert first is not None
    this_monday = datetime.now(TZ).date() - timedelta(days=datetime.now(TZ).weekday())
    assert local_date(first, TZ) >= this_monday

    assert main(["seed-demo"]) == 1
    assert "already holds data" in capsys.readouterr().err
