"""Measure the calendar views (03 §10) on 20,000 appointments (run on demand, not a test).

Data: 8 doctors and 6 rooms (+2 devices), practice and doctor hours Mon–Fri 08–18, 26 weeks
of appointments (about 800 a week, each doctor's day filled back to back with 10–30 minute
appointments and a few gaps, one room each, some with a device, 5 % cancelled), 2,000
patients, weekly practice-wide lunch breaks and a few absences. Rows are inserted directly
(no scheduling checks). Requests go through the real app in-process (TestClient), so the
times are server-side: routing, auth, SQL, rendering, the availability summary and the two
audit rows.

Uses the database of ``PRAXI_DATABASE_URL`` (migrated to all heads; data is added on every
run, so point it at a throw-away database) or, when unset, an embedded cluster in a
temporary folder.

    uv run python bench/calendar_views.py [--weeks 26] [--rounds 100]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import insert, select, text

from server.app import create_app
from server.appointments.models import Appointment, AppointmentResource
from server.auth import tokens
from server.auth.passwords import hash_password
from server.db import make_engine, make_session_factory
from server.embedded_db import EmbeddedPostgres
from server.master_data.models import AppointmentType, Resource
from server.migrate import upgrade
from server.patients.models import Patient
from server.settings import Settings
from server.users.models import Role, User
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours

TZ = ZoneInfo("Europe/Berlin")
FIRST_MONDAY = date(2030, 1, 7)


@contextmanager
def database() -> Iterator[str]:
    url = os.environ.get("PRAXI_DATABASE_URL")
    if url:
        yield url
        return
    root = Path(tempfile.mkdtemp(prefix="praxi-bench-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        yield cluster.url()
    finally:
        cluster._started_here = True
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(url: str, weeks: int) -> tuple[int, int, int]:
    """Returns (assistant id, a doctor id, appointment count)."""
    rng = random.Random(11)
    engine = make_engine(url, pool_size=2)
    upgrade(engine)
    factory = make_session_factory(engine)
    stamp = int(time.time() * 1000)
    with factory() as session, session.begin():
        roles = {r.name: r for r in session.scalars(select(Role))}
        password = hash_password("bench-passwort-1")
        doctors = [
            User(
                username=f"bench-dr{stamp}-{n}",
                first_name="Dr",
                last_name=f"Bench {n}",
                password_hash=password,
                role=roles["doctor"],
            )
            for n in range(8)
        ]
        assistant = User(
            username=f"bench-mfa{stamp}", password_hash=password, role=roles["assistant"]
        )
        session.add_all([*doctors, assistant])
        rooms = [Resource(name=f"Raum {n}", type="room") for n in range(6)]
        devices = [Resource(name=f"Gerät {n}", type="device") for n in range(2)]
        kinds = [AppointmentType(name=f"Art {n}", duration_minutes=20) for n in range(4)]
        session.add_all([*rooms, *devices, *kinds])
        session.flush()
        first_patient = (session.scalar(text("SELECT coalesce(max(id), 0) FROM patients")) or 0) + 1
        session.execute(
            insert(Patient),
            [
                {
                    "id": first_patient + n,
                    "first_name": f"Vorname{n}",
                    "last_name": f"Name{n}",
                    "birth_date": date(1950, 1, 1) + timedelta(days=n * 7),
                }
                for n in range(2000)
            ],
        )
        for weekday in range(5):
            session.add(PracticeHours(weekday=weekday, start_time=clock(8), end_time=clock(18)))
            for doctor in doctors:
                session.add(
                    DoctorHours(
                        doctor_id=doctor.id,
                        weekday=weekday,
                        start_time=clock(8),
                        end_time=clock(18),
                    )
                )
        rows: list[dict[str, object]] = []
        bookings: list[tuple[int, int | None]] = []  # (room index, device index or None)
        for week in range(weeks):
            monday = FIRST_MONDAY + timedelta(weeks=week)
            session.add(
                DoctorBreak(
                    doctor_id=None, date=monday, start_time=clock(12, 30), end_time=clock(13)
                )
            )
            if week % 4 == 0:
                doctor = doctors[week % len(doctors)]
                session.add(
                    DoctorAbsence(
                        doctor_id=doctor.id,
                        start_date=monday,
                        end_date=monday + timedelta(days=2),
                        reason="Urlaub",
                    )
                )
            for day in range(5):
                today = monday + timedelta(days=day)
                for index, doctor in enumerate(doctors):
                    cursor = datetime.combine(today, clock(8), tzinfo=TZ)
                    end_of_day = datetime.combine(today, clock(18), tzinfo=TZ)
                    while True:
                        minutes = rng.choice((10, 15, 20, 30, 30))
                        if cursor + timedelta(minutes=minutes) > end_of_day:
                            break
                        if rng.random() < 0.12:  # a gap
                            cursor += timedelta(minutes=rng.choice((5, 10, 15)))
                            continue
                        rows.append(
                            {
                                "patient_id": first_patient + rng.randrange(2000),
                                "doctor_id": doctor.id,
                                "type_id": rng.choice(kinds).id if rng.random() < 0.8 else None,
                                "start_time": cursor,
                                "end_time": cursor + timedelta(minutes=minutes),
                                "status": "cancelled" if rng.random() < 0.05 else "scheduled",
                                "notes": "",
                            }
                        )
                        device = rng.randrange(2) if rng.random() < 0.2 else None
                        bookings.append((index % len(rooms), device))
                        cursor += timedelta(minutes=minutes)
        # Thin out to about 800 a week.
        keep = sorted(rng.sample(range(len(rows)), min(len(rows), 20_000 * weeks // 26)))
        rows = [rows[i] for i in keep]
        bookings = [bookings[i] for i in keep]
        appointment_ids = session.scalars(
            insert(Appointment).returning(Appointment.id, sort_by_parameter_order=True), rows
        ).all()
        links = []
        for appointment_id, (room, device) in zip(appointment_ids, bookings, strict=True):
            links.append({"appointment_id": appointment_id, "resource_id": rooms[room].id})
            if device is not None:
                links.append({"appointment_id": appointment_id, "resource_id": devices[device].id})
        session.execute(insert(AppointmentResource), links)
    with factory() as session, session.begin():
        session.execute(text("ANALYZE"))
    engine.dispose()
    return assistant.id, doctors[0].id, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()

    with database() as url:
        assistant_id, doctor_id, count = seed(url, args.weeks)
        settings = Settings(
            database_url=SecretStr(url),
            data_dir=Path(tempfile.mkdtemp(prefix="praxi-bench-data-")),
            secret_key=SecretStr("bench-secret-" + "x" * 40),
            admin_username=None,
            admin_password=None,
        )
        secret = settings.secret_key.get_secret_value()  # type: ignore[union-attr]

        def headers(user_id: int, role: str) -> dict[str, str]:
            token = tokens.issue_access(
                secret,
                user_id=user_id,
                role=role,
                now=datetime.now(UTC),
                lifetime=timedelta(hours=1),
            )
            return {"Authorization": f"Bearer {token}"}

        staff, doctor = headers(assistant_id, "assistant"), headers(doctor_id, "doctor")
        middle = FIRST_MONDAY + timedelta(weeks=args.weeks // 2, days=2)
        cases = [
            ("week (assistant)", "/api/calendar/week/", staff),
            (
                "week, no available_doctors",
                "/api/calendar/week/?include_available_doctors=false",
                staff,
            ),
            ("week (doctor)", "/api/calendar/week/", doctor),
            ("day (assistant)", "/api/calendar/day/", staff),
            ("month (assistant)", "/api/calendar/month/", staff),
            ("month counts_only", "/api/calendar/month/?counts_only=true", staff),
        ]
        print(f"appointments: {count} over {args.weeks} weeks; measured around {middle}")
        with TestClient(create_app(settings)) as client:
            print(f"\n{'request':30} {'appts':>6} {'KiB':>6} {'p50 ms':>8} {'p99 ms':>8}")
            for label, path, auth in cases:
                path += ("&" if "?" in path else "?") + f"date={middle}"
                for _ in range(5):  # warm-up
                    client.get(path, headers=auth)
                samples = []
                for _ in range(args.rounds):
                    began = time.perf_counter()
                    response = client.get(path, headers=auth)
                    samples.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, response.text
                body = response.json()
                print(
                    f"{label:30} {len(body['appointments']):>6} "
                    f"{len(response.content) / 1024:>6.0f} {statistics.median(samples):>8.2f} "
                    f"{percentile(samples, 0.99):>8.2f}"
                )
        shutil.rmtree(settings.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
