"""Central mode on several hosts (issue 22): two ``praxi-server serve`` processes, one database.

The README says the server keeps no state outside the database and so scales by adding
workers or hosts. Here two real server processes (free ports on 127.0.0.1, separate data
folders, the same ``PRAXI_DATABASE_URL`` and ``PRAXI_SECRET_KEY``) stand for two hosts behind a
load balancer:

- a session opened on host A (login) is valid on host B, and its refresh-token family is one
  for both (refresh on B, logout on A, the refresh token is dead on B);
- 50 simultaneous conflicting bookings, half on each host: exactly one wins, never a 5xx;
- a booking through host A reaches a live-event stream on host B within a second;
- under steady booking load on both hosts, host A is killed with SIGKILL: host B keeps taking
  bookings, every booking either host acknowledged is in the database and complete, nothing
  is orphaned and the audit hash chain verifies.

The servers, the load and the checks are the ones of ``test_crash_safety`` and ``test_events``.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from tests.server.conftest import (
    DEFAULT_PASSWORD,
    WORKING_DB,
    PostgresServer,
    Users,
    WorkingDatabase,
    drop_database,
)
from tests.server.scheduling_fixtures import BERLIN, MONDAY, Practice, build_practice
from tests.server.test_crash_safety import (
    Attempt,
    Load,
    PatientIds,
    Server,
    orphan_counts,
    verify,
)
from tests.server.test_events import EventReader, auth

pytestmark = [
    pytest.mark.slow,
    # Its own database, shared with two server processes (one of them killed): see
    # ``central_database`` below, which stands in for the conftest's clone per test.
    pytest.mark.own_database,
    # One worker runs the module, so one pair of servers serves all its tests.
    pytest.mark.xdist_group("central_hosts"),
]

CONFLICTING = 50
DOCTOR_BUSY = {"detail": ["Doctor unavailable."], "reason": ["doctor_busy"]}
RETRY = {"detail": "Concurrent booking conflict, please retry."}
WRITERS_PER_HOST = 2
ACKNOWLEDGED_BEFORE_KILL = 8  # per host
ACKNOWLEDGED_AFTER_KILL = 10  # by host B
LOAD_DEADLINE = 20.0
FIRST_PATIENT = 1_000_001  # PatientIds' first id


@pytest.fixture(scope="module")
def central_database(pg_cluster: PostgresServer) -> Iterator[WorkingDatabase]:
    """The database both hosts share, for the whole module: starting two servers costs
    seconds, so they serve all tests, and the database is emptied between tests instead."""
    database = WorkingDatabase(pg_cluster, name=f"{WORKING_DB}_central")
    database.create()
    yield database
    drop_database(pg_cluster, database.name)


@pytest.fixture
def database_url(central_database: WorkingDatabase) -> str:
    """This module's ``database_url`` (also under ``db`` and ``users``): the hosts' database,
    put back into the template's state before each test."""
    central_database.reset()
    return central_database.url


@pytest.fixture(scope="module")
def server_pair(
    central_database: WorkingDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Host A and host B, started in parallel, always stopped (SIGTERM, then SIGKILL)."""
    root = tmp_path_factory.mktemp("hosts")
    folders = [root / "host-a", root / "host-b"]
    for folder in folders:
        folder.mkdir()
    url = central_database.url
    server_a, server_b = Server(url, folders[0]), Server(url, folders[1])
    assert server_a.port != server_b.port
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(Server.start, (server_a, server_b)))
        yield server_a, server_b
    finally:
        for server in (server_a, server_b):
            server.stop()


@pytest.fixture
def hosts(server_pair: tuple[Server, Server], database_url: str) -> tuple[Server, Server]:
    """Both hosts up on this test's (emptied) database; one killed by an earlier test is
    started again."""
    for server in server_pair:
        assert server.database_url == database_url
        assert server.process is not None
        if server.process.poll() is not None:
            server.start()
    return server_pair


@pytest.fixture
def practice(db: sessionmaker[Session], users: Users) -> Practice:
    return build_practice(db, users)


@pytest.fixture
def assistant_token(users: Users) -> str:
    return users.token(users.create("assistant"))


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not reached within {timeout} s"
        time.sleep(0.02)


# --- sessions ------------------------------------------------------------------------------


def test_a_session_opened_on_one_host_is_valid_on_the_other(
    hosts: tuple[Server, Server], users: Users
) -> None:
    server_a, server_b = hosts
    user = users.create("assistant", "host.assistant", password=DEFAULT_PASSWORD)
    with (
        httpx.Client(base_url=server_a.base, timeout=30) as host_a,
        httpx.Client(base_url=server_b.base, timeout=30) as host_b,
    ):
        login = host_a.post(
            "/api/auth/login/", json={"username": user.username, "password": DEFAULT_PASSWORD}
        )
        assert login.status_code == 200, login.text
        me = host_b.get("/api/auth/me/", headers=auth(login.json()["access"]))
        assert me.status_code == 200, me.text
        assert (me.json()["id"], me.json()["username"]) == (user.id, user.username)

        # The refresh-token family lives in the database too: rotate on B, end it on A.
        refreshed = host_b.post("/api/auth/refresh/", json={"refresh": login.json()["refresh"]})
        assert refreshed.status_code == 200, refreshed.text
        assert host_a.get("/api/auth/me/", headers=auth(refreshed.json()["access"])).is_success
        logout = host_a.post("/api/auth/logout/", json={"refresh": refreshed.json()["refresh"]})
        assert logout.status_code == 204, logout.text
        dead = host_b.post("/api/auth/refresh/", json={"refresh": refreshed.json()["refresh"]})
        assert dead.status_code == 401, dead.text


# --- no double booking across hosts --------------------------------------------------------


def test_exactly_one_of_fifty_conflicting_bookings_on_two_hosts_wins(
    hosts: tuple[Server, Server],
    db: sessionmaker[Session],
    practice: Practice,
    assistant_token: str,
) -> None:
    headers = auth(assistant_token)
    bases = [server.base for server in hosts]
    barrier = threading.Barrier(CONFLICTING)

    def post(index: int) -> httpx.Response:
        base = bases[index % 2]
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            return client.post("/api/appointments/", json=practice.body(patient_id=5000 + index))

    with ThreadPoolExecutor(max_workers=CONFLICTING) as pool:
        responses = list(pool.map(post, range(CONFLICTING)))
    statuses = Counter(response.status_code for response in responses)
    per_host = Counter((index % 2, r.status_code) for index, r in enumerate(responses))
    print(f"statuses: {dict(statuses)}; per host (0 = A, 1 = B): {dict(per_host)}")
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    for response in responses:
        if response.status_code == 400:
            assert {key: response.json().get(key) for key in DOCTOR_BUSY} == DOCTOR_BUSY
        elif response.status_code == 409:
            assert response.json() == RETRY
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1


def booking(practice: Practice, patient: int) -> dict[str, Any]:
    """A booking of its own slot: 30 minutes, alternating doctors, 9:00 to 17:00 on weekdays
    from MONDAY on (the hours of ``build_practice``); the slot follows from the patient id."""
    index = patient - FIRST_PATIENT
    day_number, within = divmod(index, 32)
    weeks, weekday = divmod(day_number, 5)
    day = MONDAY + timedelta(weeks=weeks, days=weekday)
    start = datetime.combine(day, clock_time(9), tzinfo=BERLIN) + timedelta(
        minutes=30 * (within // 2)
    )
    doctor = (practice.doctor, practice.other_doctor)[within % 2]
    return practice.body(
        patient_id=patient,
        doctor=doctor.id,
        start_time=start.isoformat(),
        end_time=(start + timedelta(minutes=30)).isoformat(),
    )


# --- live events across hosts --------------------------------------------------------------


def test_a_write_through_one_host_reaches_a_stream_on_the_other_within_a_second(
    hosts: tuple[Server, Server], practice: Practice, assistant_token: str
) -> None:
    with (
        EventReader(hosts[1].base, assistant_token) as reader,
        httpx.Client(base_url=hosts[0].base, headers=auth(assistant_token), timeout=10) as writer,
    ):
        # The first request pays the writer's pool start; the bound is about the notice's way.
        assert writer.get("/api/appointments/").status_code == 200
        latencies = []
        for patient in range(FIRST_PATIENT, FIRST_PATIENT + 3):
            sent = time.monotonic()
            booked = writer.post("/api/appointments/", json=booking(practice, patient))
            assert booked.status_code == 201, booked.text
            event = reader.next_change(timeout=5)
            latencies.append(time.monotonic() - sent)
            assert {key: event[key] for key in ("entity", "id", "action")} == {
                "entity": "appointment",
                "id": booked.json()["id"],
                "action": "created",
            }
        print("event latencies A -> B: " + ", ".join(f"{s * 1000:.0f} ms" for s in latencies))
        assert max(latencies) < 1.0, latencies


# --- one host killed under load ------------------------------------------------------------


def booking_writer(
    load: Load, practice: Practice, patients: PatientIds
) -> Callable[[httpx.Client], None]:
    def write(client: httpx.Client) -> None:
        while not load.stop.is_set():
            patient = next(patients)
            attempt = Attempt("appointment", patient, booking(practice, patient))
            if not load.send(client, "POST", "/api/appointments/", attempt):
                return

    return write


def acknowledged(load: Load) -> int:
    with load.lock:
        return sum(attempt.acknowledged for attempt in load.attempts)


@pytest.mark.skipif(sys.platform == "win32", reason="kills a process with SIGKILL")
def test_killing_one_host_under_load_loses_no_acknowledged_booking(
    hosts: tuple[Server, Server],
    db: sessionmaker[Session],
    practice: Practice,
    assistant_token: str,
) -> None:
    server_a, server_b = hosts
    patients = PatientIds()
    headers = auth(assistant_token)
    load_a, load_b = Load(server_a.base, headers), Load(server_b.base, headers)
    started = time.monotonic()
    try:
        for load in (load_a, load_b):
            for _ in range(WRITERS_PER_HOST):
                load.run(booking_writer(load, practice, patients))
        wait_for(
            lambda: min(acknowledged(load_a), acknowledged(load_b)) >= ACKNOWLEDGED_BEFORE_KILL,
            LOAD_DEADLINE,
            "bookings on both hosts before the kill",
        )
        killed = time.monotonic()
        server_a.kill()
        before = acknowledged(load_b)
        wait_for(
            lambda: acknowledged(load_b) >= before + ACKNOWLEDGED_AFTER_KILL,
            LOAD_DEADLINE,
            "bookings on host B after host A was killed",
        )
        after_kill = time.monotonic() - killed
    finally:
        load_a.join()
        load_b.join()
    assert httpx.get(f"{server_b.base}/api/health/", timeout=10).status_code == 200

    # Host A answered 201 to everything it answered; what it did not answer was in flight.
    answered_a = Counter(attempt.status for attempt in load_a.attempts)
    assert set(answered_a) <= {201, None}, answered_a
    # Host B answered every booking, with 201: its writers stop at the first other outcome.
    answered_b = Counter(attempt.status for attempt in load_b.attempts)
    assert set(answered_b) == {201}, answered_b

    attempts = load_a.attempts + load_b.attempts
    report = verify(db, attempts)["appointment"]
    assert report["found"] >= report["acknowledged"] == answered_a[201] + answered_b[201]
    assert report["found"] <= report["acknowledged"] + answered_a[None]
    orphans = orphan_counts(db)
    assert orphans == dict.fromkeys(orphans, 0)
    verified = server_b.cli("audit-verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK"), verified.stdout
    print(
        f"host A: {dict(answered_a)}; host B: {dict(answered_b)}; in the database: "
        f"{report['found']}; B's {ACKNOWLEDGED_AFTER_KILL} bookings after the kill took "
        f"{after_kill:.2f} s; load {time.monotonic() - started:.1f} s in all"
    )
