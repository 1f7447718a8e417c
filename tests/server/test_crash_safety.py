"""Crash safety (issue 10): acknowledged writes survive, nothing half-written remains.

``praxi-server serve`` runs as a subprocess while several threads write concurrently:
appointments with a room and a device, operations with a device, and patient-flow status
changes. In the middle the server process is killed with SIGKILL (first test), or the
PostgreSQL postmaster is stopped with ``pg_ctl stop -m immediate`` (second test, on an own
embedded cluster with the product's durable settings; the test session's cluster runs with
``fsync = off``). After the restart:

- every acknowledged (2xx) write is present and complete;
- every row present (acknowledged or in flight at the crash) is complete: an appointment has
  its resource bookings, its occupancy rows and its ``appointment_create`` audit entry; an
  operation its devices, occupancy rows and ``operation_create`` entry; a flow's status is
  backed by its status events and ``patient_flow_status_update`` entries;
- nothing is orphaned (occupancy rows, bookings, devices, events, audit entries without
  their parent);
- the audit hash chain verifies (``praxi-server audit-verify``).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.audit.models import AuditLog
from server.auth import tokens
from server.bookings.occupancy import Occupancy
from server.db import make_session_factory
from server.embedded_db import EmbeddedPostgres, _exe, free_port
from server.master_data.models import AppointmentType, OperationType, Resource
from server.migrate import upgrade
from server.operations.models import Operation, OperationDevice
from server.patient_flow.models import FLOW_STATUSES, PatientFlow, PatientFlowStatusEvent
from server.users.models import User
from server.working_hours.models import DoctorHours, PracticeHours
from tests.server.conftest import TEST_SECRET, Users, make_test_engine
from tests.server.live_server import wait_until_healthy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.own_database,  # servers are killed mid-write: no shared database to inherit that
    pytest.mark.skipif(sys.platform == "win32", reason="kills processes with POSIX signals"),
]

BERLIN = ZoneInfo("Europe/Berlin")
WRITE_SECONDS = 2.0
APPOINTMENT_WRITERS = 3
OPERATION_WRITERS = 2
FLOWS = 12
MIN_ACKNOWLEDGED = 3  # per kind before the crash (waits longer on a slow machine)
MAX_WRITE_SECONDS = 30.0
FIRST_DAY = date(2031, 1, 6)  # a Monday, far from "now"; operations start a year later
OP_FIRST_DAY = date(2032, 1, 5)
OPEN, CLOSE = 7, 19


@pytest.fixture
def own_dir() -> Iterator[Path]:
    """A private temp folder (pytest's numbered tmp dirs may be pruned by a parallel run)."""
    path = Path(tempfile.mkdtemp(prefix="praxi-crash-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# --- the practice -----------------------------------------------------------------------


@dataclass
class Practice:
    actor: User
    appointment_lanes: list[tuple[int, int, int]]  # (doctor, room, device) per writer
    operation_lanes: list[tuple[int, int, int]]  # (surgeon, room, device) per writer
    appointment_type: int
    operation_type: int
    flow_doctor: int


def build_practice(factory: sessionmaker[Session]) -> Practice:
    users = Users(factory, TEST_SECRET)
    actor = users.create("assistant", "crash.assistant")
    lanes = APPOINTMENT_WRITERS + OPERATION_WRITERS + 1
    doctors = [users.create("doctor", f"crash.doctor{index}").id for index in range(lanes)]
    with factory() as session, session.begin():
        for weekday in range(5):
            session.add(
                PracticeHours(
                    weekday=weekday, start_time=clock_time(OPEN), end_time=clock_time(CLOSE)
                )
            )
            session.add_all(
                DoctorHours(
                    doctor_id=doctor,
                    weekday=weekday,
                    start_time=clock_time(OPEN),
                    end_time=clock_time(CLOSE),
                )
                for doctor in doctors
            )
        rooms = [Resource(name=f"Raum {index}", type="room") for index in range(lanes)]
        devices = [Resource(name=f"Gerät {index}", type="device") for index in range(lanes)]
        kind = AppointmentType(name="Kontrolle", color="#ABCDEF", duration_minutes=15)
        op_kind = OperationType(
            name="Kurz-OP", prep_duration=10, op_duration=30, post_duration=10, color="#8A2BE2"
        )
        session.add_all([*rooms, *devices, kind, op_kind])
        session.flush()
        lane = [(doctors[i], rooms[i].id, devices[i].id) for i in range(lanes)]
        return Practice(
            actor=actor,
            appointment_lanes=lane[:APPOINTMENT_WRITERS],
            operation_lanes=lane[APPOINTMENT_WRITERS:-1],
            appointment_type=kind.id,
            operation_type=op_kind.id,
            flow_doctor=doctors[-1],
        )


def auth_headers(user: User) -> dict[str, str]:
    token = tokens.issue_access(
        TEST_SECRET,
        user_id=user.id,
        role=user.role_name,
        now=datetime.now(UTC),
        lifetime=timedelta(minutes=30),
    )
    return {"Authorization": f"Bearer {token}"}


class PatientIds:
    """Unique patient ids for all writer threads (each booking gets its own patient)."""

    def __init__(self) -> None:
        self._next = itertools.count(1_000_001)
        self._lock = threading.Lock()

    def __iter__(self) -> PatientIds:
        return self

    def __next__(self) -> int:
        with self._lock:
            return next(self._next)


def slots(first_day: date, minutes: int) -> Iterator[datetime]:
    """Practice-local start times on working days, ``minutes`` apart, within the hours."""
    day = first_day
    while True:
        if day.weekday() < 5:
            start = datetime.combine(day, clock_time(OPEN), tzinfo=BERLIN)
            while start + timedelta(minutes=minutes) <= datetime.combine(
                day, clock_time(CLOSE), tzinfo=BERLIN
            ):
                yield start
                start += timedelta(minutes=minutes)
        day += timedelta(days=1)


# --- the server ---------------------------------------------------------------------------


class Server:
    """``praxi-server serve`` on a free port against ``PRAXI_DATABASE_URL``."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.database_url = database_url
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PRAXI_")}
        return inherited | {
            "PRAXI_DATABASE_URL": self.database_url,
            "PRAXI_DATA_DIR": str(self.folder / "data"),
            "PRAXI_SECRET_KEY": TEST_SECRET,
            "PRAXI_BACKUP_AUTO": "false",
        }

    @property
    def log(self) -> Path:
        return self.folder / f"server-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        assert self.process is not None
        wait_until_healthy(
            self.base, self.process.poll, lambda: self.log.read_text()[-3000:], timeout=timeout
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown code runs
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


# --- the writers ----------------------------------------------------------------------------


@dataclass
class Attempt:
    kind: str  # "appointment", "operation", "flow_status"
    key: int  # patient id (unique per booking) or flow id
    body: dict[str, Any]
    status: int | None = None  # None: no answer (in flight when the crash came)
    answer: dict[str, Any] | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Load:
    """Concurrent writers; each stops at its first failed request or when told to."""

    base: str
    headers: dict[str, str]
    attempts: list[Attempt] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: list[threading.Thread] = field(default_factory=list)

    def send(self, client: httpx.Client, method: str, path: str, attempt: Attempt) -> bool:
        with self.lock:
            self.attempts.append(attempt)
        try:
            response = client.request(method, path, json=attempt.body)
        except httpx.HTTPError:
            return False
        attempt.status = response.status_code
        if response.headers.get("content-type", "").startswith("application/json"):
            attempt.answer = response.json()
        return attempt.acknowledged

    def run(self, target: Callable[[httpx.Client], None]) -> None:
        def body() -> None:
            with httpx.Client(base_url=self.base, headers=self.headers, timeout=30) as client:
                target(client)

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        self.threads.append(thread)

    def enough(self, count: int) -> bool:
        with self.lock:
            acknowledged = Counter(a.kind for a in self.attempts if a.acknowledged)
        return all(
            acknowledged[kind] >= count for kind in ("appointment", "operation", "flow_status")
        )

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
            assert not thread.is_alive()


def appointment_writer(
    load: Load, practice: Practice, lane: int, patients: Iterator[int]
) -> Callable[[httpx.Client], None]:
    doctor, room, device = practice.appointment_lanes[lane]
    times = slots(FIRST_DAY + timedelta(weeks=4 * lane), 15)

    def write(client: httpx.Client) -> None:
        while not load.stop.is_set():
            start = next(times)
            patient = next(patients)
            body = {
                "patient_id": patient,
                "doctor": doctor,
                "type": practice.appointment_type,
                "start_time": start.isoformat(),
                "end_time": (start + timedelta(minutes=15)).isoformat(),
                "resource_ids": [room, device],
            }
            if not load.send(
                client, "POST", "/api/appointments/", Attempt("appointment", patient, body)
            ):
                return

    return write


def operation_writer(
    load: Load, practice: Practice, lane: int, patients: Iterator[int]
) -> Callable[[httpx.Client], None]:
    surgeon, room, device = practice.operation_lanes[lane]
    times = slots(OP_FIRST_DAY + timedelta(weeks=8 * lane), 60)

    def write(client: httpx.Client) -> None:
        while not load.stop.is_set():
            patient = next(patients)
            body = {
                "patient_id": patient,
                "primary_surgeon": surgeon,
                "op_room": room,
                "op_type": practice.operation_type,
                "op_device_ids": [device],
                "start_time": next(times).isoformat(),
            }
            if not load.send(
                client, "POST", "/api/operations/", Attempt("operation", patient, body)
            ):
                return

    return write


def flow_writer(load: Load, flow_ids: list[int]) -> Callable[[httpx.Client], None]:
    def write(client: httpx.Client) -> None:
        for flow_id in flow_ids:
            for status in FLOW_STATUSES[1:]:
                if load.stop.is_set():
                    return
                attempt = Attempt("flow_status", flow_id, {"status": status})
                if not load.send(client, "PATCH", f"/api/patient-flow/{flow_id}/status/", attempt):
                    return

    return write


def open_flows(
    base: str, headers: dict[str, str], practice: Practice, patients: Iterator[int]
) -> tuple[list[Attempt], list[int]]:
    """Appointments with a registered flow each, for the status writer (before the crash)."""
    attempts: list[Attempt] = []
    flow_ids: list[int] = []
    times = slots(FIRST_DAY + timedelta(weeks=30), 15)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for _ in range(FLOWS):
            start, patient = next(times), next(patients)
            body = {
                "patient_id": patient,
                "doctor": practice.flow_doctor,
                "start_time": start.isoformat(),
                "end_time": (start + timedelta(minutes=15)).isoformat(),
            }
            response = client.post("/api/appointments/", json=body)
            assert response.status_code == 201, response.text
            attempts.append(Attempt("appointment", patient, body, 201, response.json()))
            flow = client.post("/api/patient-flow/", json={"appointment_id": response.json()["id"]})
            assert flow.status_code == 201, flow.text
            flow_ids.append(flow.json()["id"])
    return attempts, flow_ids


def start_load(
    server_base: str, practice: Practice, flow_ids: list[int], patients: Iterator[int]
) -> Load:
    load = Load(server_base, auth_headers(practice.actor))
    for lane in range(APPOINTMENT_WRITERS):
        load.run(appointment_writer(load, practice, lane, patients))
    for lane in range(OPERATION_WRITERS):
        load.run(operation_writer(load, practice, lane, patients))
    load.run(flow_writer(load, flow_ids))
    return load


# --- the checks ----------------------------------------------------------------------------


def _as_local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(BERLIN)


def verify(factory: sessionmaker[Session], attempts: list[Attempt]) -> dict[str, Counter[str]]:
    """Everything acknowledged is there and complete; everything there is complete."""
    by_patient = {a.key: a for a in attempts if a.kind in ("appointment", "operation")}
    report: dict[str, Counter[str]] = {
        kind: Counter() for kind in ("appointment", "operation", "flow_status")
    }
    for attempt in attempts:
        report[attempt.kind]["sent"] += 1
        if attempt.acknowledged:
            report[attempt.kind]["acknowledged"] += 1
        elif attempt.status is None:
            report[attempt.kind]["unanswered"] += 1
        else:
            report[attempt.kind][f"answered {attempt.status}"] += 1
    with factory() as session:
        appointments = {row.id: row for row in session.scalars(select(Appointment))}
        operations = {row.id: row for row in session.scalars(select(Operation))}
        bookings: dict[int, set[int]] = {}
        for booking in session.scalars(select(AppointmentResource)):
            assert booking.appointment_id in appointments, "booking without appointment"
            bookings.setdefault(booking.appointment_id, set()).add(booking.resource_id)
        devices: dict[int, set[int]] = {}
        for device in session.scalars(select(OperationDevice)):
            assert device.operation_id in operations, "device row without operation"
            devices.setdefault(device.operation_id, set()).add(device.resource_id)
        occupied: dict[tuple[str, int], set[tuple[str, int, datetime, datetime]]] = {}
        for occ in session.scalars(select(Occupancy)):
            owner = (
                ("appointment", occ.appointment_id)
                if occ.appointment_id
                else ("operation", occ.operation_id)
            )
            assert owner[1] is not None
            parents = appointments if owner[0] == "appointment" else operations
            assert owner[1] in parents, f"occupancy row {occ.id} without its {owner[0]}"
            assert occ.period.lower is not None
            assert occ.period.upper is not None
            occupied.setdefault((owner[0], owner[1]), set()).add(
                (occ.kind, occ.subject_id, occ.period.lower, occ.period.upper)
            )
        audit = Counter(
            (row.action, row.patient_id)
            for row in session.scalars(
                select(AuditLog).where(
                    AuditLog.action.in_(("appointment_create", "operation_create"))
                )
            )
        )
        flows = {row.id: row for row in session.scalars(select(PatientFlow))}
        events: dict[int, list[PatientFlowStatusEvent]] = {}
        for event in session.scalars(
            select(PatientFlowStatusEvent).order_by(PatientFlowStatusEvent.id)
        ):
            assert event.flow_id in flows, "status event without flow"
            events.setdefault(event.flow_id, []).append(event)
        status_audit = Counter(
            (row.meta or {}).get("flow_id")
            for row in session.scalars(
                select(AuditLog).where(AuditLog.action == "patient_flow_status_update")
            )
        )

    # Appointments: every row complete; acknowledged ones present as answered.
    for row in appointments.values():
        attempt = by_patient.get(row.patient_id)
        assert attempt is not None, f"appointment {row.id} was never sent"
        assert attempt.kind == "appointment", row.patient_id
        resources = set(attempt.body.get("resource_ids", []))
        assert bookings.get(row.id, set()) == resources, f"appointment {row.id} bookings"
        expected = {("doctor", row.doctor_id), ("patient", row.patient_id)} | {
            ("resource", resource) for resource in resources
        }
        rows = occupied.get(("appointment", row.id), set())
        assert {(kind, subject) for kind, subject, _, _ in rows} == expected, row.id
        assert all((lo, hi) == (row.start_time, row.end_time) for _, _, lo, hi in rows)
        assert audit[("appointment_create", row.patient_id)] == 1, f"audit of {row.id}"
        assert row.start_time == _as_local(attempt.body["start_time"])
        report["appointment"]["found"] += 1
    # Operations likewise.
    for row in operations.values():
        attempt = by_patient.get(row.patient_id)
        assert attempt is not None, f"operation {row.id} was never sent"
        assert attempt.kind == "operation", row.patient_id
        wanted = set(attempt.body["op_device_ids"])
        assert devices.get(row.id, set()) == wanted, f"operation {row.id} devices"
        expected = (
            {("doctor", member) for member in row.team}
            | {("patient", row.patient_id), ("resource", row.op_room_id)}
            | {("resource", device) for device in wanted}
        )
        rows = occupied.get(("operation", row.id), set())
        assert {(kind, subject) for kind, subject, _, _ in rows} == expected, row.id
        assert audit[("operation_create", row.patient_id)] == 1, f"audit of operation {row.id}"
        assert row.start_time == _as_local(attempt.body["start_time"])
        report["operation"]["found"] += 1
    # No audit entry of a booking that is not there (a rolled-back write leaves none).
    for (action, patient), count in audit.items():
        attempt = by_patient.get(patient or 0)
        if attempt is None:
            continue  # written by someone else (none in these tests)
        table = appointments if action == "appointment_create" else operations
        assert count == 1, f"{count} {action} entries of patient {patient}"
        assert any(r.patient_id == patient for r in table.values()), f"{action} {patient}"
    # Acknowledged bookings are present with the id they were answered with.
    for attempt in attempts:
        if attempt.kind in ("appointment", "operation") and attempt.acknowledged:
            assert attempt.answer is not None
            table = appointments if attempt.kind == "appointment" else operations
            row = table.get(attempt.answer["id"])
            assert row is not None, f"acknowledged {attempt.kind} {attempt.answer['id']} lost"
            assert row.patient_id == attempt.key
    # Flows: the status is the end of its event chain; every move audited; acknowledged
    # moves present; at most the one unanswered move beyond them.
    chain = list(FLOW_STATUSES)
    acknowledged: dict[int, int] = {}
    for attempt in attempts:
        if attempt.kind == "flow_status" and attempt.acknowledged:
            index = chain.index(attempt.body["status"])
            acknowledged[attempt.key] = max(acknowledged.get(attempt.key, 0), index)
    for flow_id, flow in flows.items():
        moves = [e for e in events.get(flow_id, []) if e.from_status is not None]
        path = [chain[0]] + [e.to_status for e in moves]
        assert path == chain[: len(path)], f"flow {flow_id} events {path}"
        assert flow.status == path[-1], f"flow {flow_id} status {flow.status} vs events"
        assert status_audit[flow_id] == len(moves), f"flow {flow_id} audit entries"
        reached = chain.index(flow.status)
        assert acknowledged.get(flow_id, 0) <= reached <= acknowledged.get(flow_id, 0) + 1
        report["flow_status"]["found"] += len(moves)
    return report


def orphan_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    checks = {
        "occupancies": "SELECT count(*) FROM occupancies o WHERE NOT EXISTS "
        "(SELECT 1 FROM appointments a WHERE a.id = o.appointment_id) AND NOT EXISTS "
        "(SELECT 1 FROM operations p WHERE p.id = o.operation_id)",
        "appointment_resources": "SELECT count(*) FROM appointment_resources r WHERE NOT "
        "EXISTS (SELECT 1 FROM appointments a WHERE a.id = r.appointment_id)",
        "operation_devices": "SELECT count(*) FROM operation_devices d WHERE NOT EXISTS "
        "(SELECT 1 FROM operations p WHERE p.id = d.operation_id)",
        "appointments_without_occupancy": "SELECT count(*) FROM appointments a WHERE "
        "a.status <> 'cancelled' AND NOT EXISTS "
        "(SELECT 1 FROM occupancies o WHERE o.appointment_id = a.id)",
        "operations_without_occupancy": "SELECT count(*) FROM operations p WHERE "
        "p.status <> 'cancelled' AND NOT EXISTS "
        "(SELECT 1 FROM occupancies o WHERE o.operation_id = p.id)",
    }
    with factory() as session:
        return {name: int(session.scalar(text(sql)) or 0) for name, sql in checks.items()}


def check_after_restart(
    server: Server, factory: sessionmaker[Session], attempts: list[Attempt], label: str
) -> None:
    report = verify(factory, attempts)
    orphans = orphan_counts(factory)
    assert orphans == dict.fromkeys(orphans, 0)
    verified = server.cli("audit-verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK"), verified.stdout
    lines = (
        [f"{label}:"]
        + [
            f"  {kind}: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
            for kind, counts in report.items()
        ]
        + [f"  audit-verify: {verified.stdout.strip()}"]
    )
    print("\n".join(lines))
    for kind in ("appointment", "operation", "flow_status"):
        assert report[kind]["acknowledged"] > 0, f"no {kind} was acknowledged before the crash"
        assert report[kind]["found"] >= report[kind]["acknowledged"], kind


def write_after_restart(server: Server, practice: Practice, attempts: list[Attempt]) -> None:
    """The restarted server takes writes again (and they are checked with the rest)."""
    headers = auth_headers(practice.actor)
    doctor, room, device = practice.appointment_lanes[0]
    start = next(slots(FIRST_DAY + timedelta(weeks=40), 15))
    body = {
        "patient_id": 9_000_000,
        "doctor": doctor,
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(minutes=15)).isoformat(),
        "resource_ids": [room, device],
    }
    deadline = time.monotonic() + 30
    while True:  # the pool may hand out a dead connection once (pre-ping covers most)
        response = httpx.post(
            f"{server.base}/api/appointments/", json=body, headers=headers, timeout=30
        )
        if response.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert response.status_code == 201, response.text
    attempts.append(Attempt("appointment", 9_000_000, body, 201, response.json()))


def crash_run(
    server: Server,
    factory: sessionmaker[Session],
    crash: Callable[[], None],
    recover: Callable[[], None],
    label: str,
) -> None:
    timings: list[str] = []
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        timings.append(f"{name} {now - mark:.1f} s")
        mark = now

    practice = build_practice(factory)
    patient_ids = PatientIds()
    server.start()
    lap("start")
    try:
        attempts, flow_ids = open_flows(
            server.base, auth_headers(practice.actor), practice, patient_ids
        )
        lap("flows")
        load = start_load(server.base, practice, flow_ids, patient_ids)
        time.sleep(WRITE_SECONDS)
        while not load.enough(MIN_ACKNOWLEDGED) and time.monotonic() - mark < MAX_WRITE_SECONDS:
            time.sleep(0.1)
        lap("writes")
        crash()
        load.join()
        attempts += load.attempts
        recover()
        lap("crash and restart")
        write_after_restart(server, practice, attempts)
    finally:
        server.stop()
    check_after_restart(server, factory, attempts, label)
    lap("checks")
    print("  timings: " + ", ".join(timings))


# --- the tests ----------------------------------------------------------------------------


def test_acknowledged_writes_survive_a_killed_server(database_url: str, own_dir: Path) -> None:
    engine = make_test_engine(database_url, pool_size=2)
    server = Server(database_url, own_dir)
    try:
        crash_run(
            server,
            make_session_factory(engine),
            crash=server.kill,
            recover=server.start,
            label="server SIGKILL",
        )
    finally:
        engine.dispose()


def test_acknowledged_writes_survive_an_immediate_postgres_stop(own_dir: Path) -> None:
    cluster = EmbeddedPostgres(own_dir / "db")  # durable settings, as in production
    cluster.start()
    engine = None
    try:
        url = cluster.url()
        engine = make_test_engine(url, pool_size=2)
        upgrade(engine)
        server = Server(url, own_dir)
        assert cluster.port is not None
        port = cluster.port

        def crash() -> None:
            cluster._run(
                [_exe("pg_ctl"), "-D", str(cluster.pgdata), "-m", "immediate", "-w", "stop"]
            )

        def recover() -> None:
            # same port, so that the running server's pool reconnects by itself
            cluster._run(
                [
                    _exe("pg_ctl"),
                    "-D",
                    str(cluster.pgdata),
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(cluster.log_file),
                    "-o",
                    f"-p {port}",
                    "start",
                ],
                timeout=70,
            )
            server.wait_healthy()

        crash_run(server, make_session_factory(engine), crash, recover, "postgres immediate stop")
    finally:
        if engine is not None:
            engine.dispose()
        cluster._started_here = True
        cluster.stop()
