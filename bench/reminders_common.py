"""Shared set-up of the reminder benches (run on demand, not tests): a throw-away embedded
cluster with 200 due SMS reminders, and the environment for worker processes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

import server.models_registry  # noqa: F401 — every mapper
from server.appointments.models import Appointment
from server.db import make_engine
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from server.patients.models import Patient
from server.reminders import planning
from server.reminders.models import ReminderConsent, ReminderRule
from server.settings import Settings
from server.users.models import User

TZ = ZoneInfo("Europe/Berlin")
BOOKED_AT = datetime(2027, 2, 22, 9, 0, tzinfo=TZ)  # a Monday, when the bookings are made
SEND_AT = datetime(2027, 2, 27, 19, 0, tzinfo=TZ)  # Saturday evening: every reminder is due
FIRST_START = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)  # Monday: none has begun at SEND_AT
SECRET = "bench-secret-" + "x" * 40  # a throw-away cluster


@dataclass
class Bench:
    root: Path
    url: str
    engine: Engine

    def settings(self, **changes: object) -> Settings:
        values: dict[str, object] = {
            "database_url": SecretStr(self.url),
            "data_dir": self.root / "data",
            "secret_key": SecretStr(SECRET),
            "timezone": "Europe/Berlin",
            "testing": True,
            "test_now": SEND_AT,
            **changes,
        }
        return Settings(**values)  # type: ignore[arg-type]

    def worker_environment(self, sms_url: str) -> dict[str, str]:
        """``praxi-server worker`` / a child process with the bench's settings."""
        return {
            **os.environ,
            "PRAXI_DATABASE_URL": self.url,
            "PRAXI_DATA_DIR": str(self.root / "data"),
            "PRAXI_SECRET_KEY": SECRET,
            "PRAXI_TESTING": "1",
            "PRAXI_TEST_NOW": SEND_AT.isoformat(),
            "PRAXI_SMS_URL": sms_url,
            "PRAXI_REMINDER_POLL_SECONDS": "0.5",
        }

    def status_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT status, count(*) FROM reminders GROUP BY status"))
            return {row[0]: row[1] for row in rows}

    def replan_all(self) -> None:
        """Every reminder back to due and unsent (the next run of a bench)."""
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE reminders SET status = 'planned', attempts = 0, sent_at = NULL, "
                    "last_error = NULL, next_attempt_at = due_at"
                )
            )


@contextmanager
def bench_database(count: int = 200) -> Iterator[Bench]:
    root = Path(tempfile.mkdtemp(prefix="praxi-bench-reminders-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        url = cluster.url()
        engine = make_engine(url, pool_size=4)
        upgrade(engine)
        bench = Bench(root, url, engine)
        seed(bench, count)
        yield bench
        engine.dispose()
    finally:
        cluster.stop()


def seed(bench: Bench, count: int) -> None:
    """One patient with SMS consent, a 48-hour SMS rule, ``count`` appointments a minute
    apart (so every message text differs by its time)."""
    planning.install()
    settings = bench.settings(test_now=BOOKED_AT)
    with Session(bench.engine) as session, session.begin():
        session.info[planning.SETTINGS_KEY] = settings
        session.execute(text("UPDATE reminder_settings SET practice_name = 'Praxis Bench'"))
        doctor = User(
            username="dr.bench",
            password_hash="-",  # noqa: S106 — no login
            first_name="B",
            last_name="Ench",
        )
        patient = Patient(id=1, first_name="Bea", last_name="Bench", phone="0171 2345678")
        session.add_all([doctor, patient])
        session.flush()
        session.add(
            ReminderConsent(patient_id=1, channel="sms", granted=True, recorded_at=BOOKED_AT)
        )
        session.add(
            ReminderRule(appointment_type_id=None, offsets_minutes=[2880], channels=["sms"])
        )
        session.flush()
        for index in range(count):
            start = FIRST_START + timedelta(minutes=index)
            session.add(
                Appointment(
                    patient_id=1,
                    doctor_id=doctor.id,
                    start_time=start,
                    end_time=start + timedelta(minutes=1),
                    status="scheduled",
                    notes="",
                )
            )
        session.flush()
    planned = bench.status_counts().get("planned", 0)
    assert planned == count, f"{planned} reminders planned, expected {count}"
