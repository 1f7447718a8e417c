"""Patient-flow writes under concurrency (spec 05 §10), against a live uvicorn: status changes
of one flow are serialised by the row lock (the second request is validated against the
first one's result), and rule 7 holds for simultaneous creates — never a 500."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.test_operations import NOW
from tests.server.test_patient_flow import (
    FlowPractice,
    audit_rows,
    build_flow_practice,
    clock,
    create_flow,
    events,
)

ATTEMPTS = 12


@pytest.fixture
def flows(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> FlowPractice:
    settings = make_settings(database_url, tmp_path / "setup", test_now=NOW)
    with shared_client(settings) as client:
        return build_flow_practice(client, db, users)


def _fire(
    base: str, headers: dict[str, str], requests: list[tuple[str, str, dict[str, Any]]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))

    def send(request: tuple[str, str, dict[str, Any]]) -> httpx.Response:
        method, path, body = request
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            return client.request(method, path, json=body)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def _wait_for_lock_waiters(database_url: str, count: int) -> None:
    deadline = time.monotonic() + 20
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if row is not None and row[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError("the requests never queued on the flow's row lock")


def test_two_simultaneous_status_changes_apply_once(
    flows: FlowPractice,
    database_url: str,
    tmp_path: Path,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    settings = make_settings(database_url, tmp_path / "live", test_now=clock(8))
    headers = users.headers(users.create("assistant"))
    with live_server(settings) as base:
        with httpx.Client(base_url=base, headers=headers) as client:
            response = client.post(
                "/api/patient-flow/", json={"appointment_id": flows.appointment["id"]}
            )
            assert response.status_code == 201
            flow_id = response.json()["id"]
        # Hold the row so that both requests are certainly in flight at the same time.
        blocker = psycopg.connect(database_url.replace("+psycopg", ""))
        blocker.execute("SELECT id FROM patient_flows WHERE id = %s FOR UPDATE", (flow_id,))
        results: list[httpx.Response] = []
        path = f"/api/patient-flow/{flow_id}/status/"
        thread = threading.Thread(
            target=lambda: results.extend(
                _fire(base, headers, [("PATCH", path, {"status": "waiting"})] * 2)
            )
        )
        thread.start()
        try:
            _wait_for_lock_waiters(database_url, 2)
        finally:
            blocker.commit()
            blocker.close()
        thread.join(60)
    assert [r.status_code for r in results] == [200, 200]
    # One actual change, one accepted no-op validated against the first one's result.
    assert [(a, b) for a, b, _ in events(db, flow_id)] == [
        (None, "registered"),
        ("registered", "waiting"),
    ]
    metas = sorted(
        (r.meta["from"], r.meta["to"])
        for r in audit_rows(db)
        if r.action == "patient_flow_status_update" and r.meta is not None
    )
    assert metas == [("registered", "waiting"), ("waiting", "waiting")]


def test_racing_different_steps_never_skip(
    flows: FlowPractice,
    database_url: str,
    tmp_path: Path,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    settings = make_settings(database_url, tmp_path / "live", test_now=clock(8))
    headers = users.headers(users.create("assistant"))
    with live_server(settings) as base:
        with httpx.Client(base_url=base, headers=headers) as client:
            flow_id = client.post(
                "/api/patient-flow/", json={"operation_id": flows.operation["id"]}
            ).json()["id"]
        path = f"/api/patient-flow/{flow_id}/status/"
        results = _fire(
            base,
            headers,
            [("PATCH", path, {"status": "waiting"}), ("PATCH", path, {"status": "preparing"})] * 4,
        )
    codes = Counter(r.status_code for r in results)
    assert set(codes) <= {200, 400}
    chain = [b for _, b, _ in events(db, flow_id)]
    assert chain[:2] == ["registered", "waiting"]
    assert chain in (["registered", "waiting"], ["registered", "waiting", "preparing"])
    assert len(chain) == len(set(chain))


def test_simultaneous_creates_for_one_appointment_give_one_flow(
    flows: FlowPractice,
    database_url: str,
    tmp_path: Path,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    settings = make_settings(database_url, tmp_path / "live", test_now=clock(8))
    headers = users.headers(users.create("assistant"))
    body = {"appointment_id": flows.appointment["id"]}
    with live_server(settings) as base:
        results = _fire(base, headers, [("POST", "/api/patient-flow/", body)] * ATTEMPTS)
    codes = Counter(r.status_code for r in results)
    assert codes == {201: 1, 400: ATTEMPTS - 1}
    for response in results:
        if response.status_code == 400:
            assert response.json() == {
                "non_field_errors": [
                    "Für diesen Termin bzw. diese Operation existiert bereits ein aktiver "
                    "Patientenfluss."
                ]
            }
    assert [r.action for r in audit_rows(db)].count("patient_flow_create") == 1


def test_partial_unique_index_violation_maps_to_the_rule_7_body(
    flows: FlowPractice, database_url: str, tmp_path: Path, users: Users, monkeypatch: Any
) -> None:
    """Even when the application check is bypassed, the index answers with 400, not 500."""
    from server.patient_flow import service

    monkeypatch.setattr(service, "_check_no_active_flow", lambda *args, **kwargs: None)
    settings = make_settings(database_url, tmp_path / "live", test_now=clock(8))
    headers = users.headers(users.create("assistant"))
    with shared_client(settings) as api:
        create_flow(api, headers, operation_id=flows.operation["id"])
        second = api.post(
            "/api/patient-flow/", json={"operation_id": flows.operation["id"]}, headers=headers
        )
        other = create_flow(api, headers, operation_id=flows.other_operation["id"])
        relink = api.patch(
            f"/api/patient-flow/{other['id']}/",
            json={"operation_id": flows.operation["id"]},
            headers=headers,
        )
    expected = {
        "non_field_errors": [
            "Für diesen Termin bzw. diese Operation existiert bereits ein aktiver Patientenfluss."
        ]
    }
    assert (second.status_code, second.json()) == (400, expected)
    assert (relink.status_code, relink.json()) == (400, expected)
