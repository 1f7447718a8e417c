"""No double booking of operations under concurrency (04 §8, 00 §9): simultaneous conflicting
POSTs against a live uvicorn on the embedded database — exactly one wins, the losers get the
body of the application check (with its ``operation_conflict`` audit row), never a 500."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from server.audit.models import AuditLog
from server.operations.models import Operation
from server.working_hours.models import DoctorHours
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.test_operations import NOW, at, build_op_practice

ATTEMPTS = 50
SURGEONS = 10


def fire(
    base: str, headers: dict[str, str], requests: list[tuple[str, dict[str, Any]]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))

    def post(request: tuple[str, dict[str, Any]]) -> httpx.Response:
        path, body = request
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            return client.post(path, json=body)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


def _surgeons(db: sessionmaker[Session], users: Users, count: int) -> list[int]:
    ids = []
    for index in range(count):
        user = users.create("doctor", f"dr.concurrent{index}")
        ids.append(user.id)
    with db() as session, session.begin():
        for user_id in ids:
            session.add_all(
                DoctorHours(doctor_id=user_id, weekday=w, start_time=time(9), end_time=time(17))
                for w in range(5)
            )
    return ids


def _count(db: sessionmaker[Session], model: Any) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_exactly_one_of_fifty_operations_in_one_room_wins(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    practice = build_op_practice(db, users)
    surgeons = _surgeons(db, users, SURGEONS)
    headers = users.headers(users.create("assistant"))
    requests = [
        (
            "/api/operations/",
            practice.body(
                patient_id=5000 + i,
                primary_surgeon=surgeons[i % SURGEONS],
                start_time=at(10, 5 * (i % 3)),
            ),
        )
        for i in range(ATTEMPTS)
    ]
    with live_server(make_settings(database_url, tmp_path, test_now=NOW)) as base:
        responses = fire(base, headers, requests)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    for response in responses:
        if response.status_code == 400:
            body = response.json()
            assert body["detail"] == ["Operation conflict"]
            assert body["reason"][0] in {"room_conflict", "operation_conflict"}, body
        elif response.status_code == 409:
            assert response.json() == {"detail": "Concurrent booking conflict, please retry."}
    assert _count(db, Operation) == 1
    with db() as session:
        audited = session.scalar(
            select(func.count()).where(AuditLog.action == "operation_conflict")
        )
    assert audited == statuses[400]


def test_appointments_and_operations_race_for_one_room(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    """The shared occupancy table keeps appointments and operations apart as well."""
    practice = build_op_practice(db, users)
    surgeons = _surgeons(db, users, SURGEONS)
    headers = users.headers(users.create("assistant"))
    requests: list[tuple[str, dict[str, Any]]] = []
    for i in range(ATTEMPTS):
        surgeon = surgeons[i % SURGEONS]
        if i % 2:
            requests.append(
                (
                    "/api/operations/",
                    practice.body(patient_id=6000 + i, primary_surgeon=surgeon, start_time=at(10)),
                )
            )
        else:
            requests.append(
                (
                    "/api/appointments/",
                    {
                        "patient_id": 6000 + i,
                        "doctor": surgeon,
                        "start_time": at(10, 10),
                        "end_time": at(10, 40),
                        "resource_ids": [practice.room_id],
                    },
                )
            )
    with live_server(make_settings(database_url, tmp_path, test_now=NOW)) as base:
        responses = fire(base, headers, requests)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    assert _count(db, Operation) + _count(db, Appointment) == 1


def test_without_advisory_locks_the_constraint_still_answers_with_the_check_body(
    database_url: str,
    tmp_path: Path,
    db: sessionmaker[Session],
    users: Users,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Exclusion violations (not the locks) decide here: rolled back, re-checked, never 500."""
    from server.operations import service

    monkeypatch.setattr(service, "_lock", lambda *_args, **_kwargs: None)
    practice = build_op_practice(db, users)
    surgeons = _surgeons(db, users, SURGEONS)
    headers = users.headers(users.create("assistant"))
    requests = [
        (
            "/api/operations/",
            practice.body(patient_id=7000 + i, primary_surgeon=surgeons[i % SURGEONS]),
        )
        for i in range(ATTEMPTS)
    ]
    with live_server(make_settings(database_url, tmp_path, test_now=NOW)) as base:
        responses = fire(base, headers, requests)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 400, 409}, statuses
    assert _count(db, Operation) == 1
