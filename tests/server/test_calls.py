"""Call numbers, "Aufrufen" and the display credential (issue 20, docs/call-up-display.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.core.access import Audience, is_method_fallback, policy_for
from tests.server import test_doctor_scoping as doctor_scoping
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_patient_flow import FlowPractice, build_flow_practice, clock, set_now

NOW = clock(9, 40)

Headers = dict[str, str]


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


@pytest.fixture
def flows(api: TestClient, db: sessionmaker[Session], users: Users) -> FlowPractice:
    return build_flow_practice(api, db, users)


def check_in(api: TestClient, headers: Headers, **link: int) -> dict[str, Any]:
    response = api.post("/api/patient-flow/", json=link, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def display_token(api: TestClient, admin: Headers, name: str = "Wartezimmer") -> str:
    created = api.post("/api/practice/display-tokens/", json={"name": name}, headers=admin)
    assert created.status_code == 201, created.text
    token: str = created.json()["token"]
    return token


def test_check_in_draws_a_number_per_day_and_aufrufen_shows_it_on_the_display(
    api: TestClient, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    admin = users.headers(users.create("admin"))
    first = check_in(api, admin, appointment_id=flows.appointment["id"])
    second = check_in(api, admin, appointment_id=flows.other_appointment["id"])
    operation = check_in(api, admin, operation_id=flows.operation["id"])
    assert (first["call_number"], second["call_number"], operation["call_number"]) == (
        "A-001",
        "A-002",
        "O-001",
    )
    assert first["last_call"] is None

    path = f"/api/patient-flow/{second['id']}/call/"
    assert api.post(path, json={}, headers=admin).json() == {"room": ["This field is required."]}
    billing = users.headers(users.create("billing"))
    assert api.post(path, json={"room": "1"}, headers=billing).status_code == 403
    surgeon = users.headers(users.create("doctor"))  # not this flow's doctor
    assert api.post(path, json={"room": "1"}, headers=surgeon).status_code == 404
    set_now(api, clock(9, 5))
    called = api.post(path, json={"room": "Behandlungsraum 2"}, headers=admin)
    assert called.status_code == 200, called.text
    assert called.json()["last_call"] == {
        "room": "Behandlungsraum 2",
        "called_at": "2027-01-18T09:05:00+01:00",
    }
    assert called.json()["status"] == "registered"  # a call moves nobody along the chain

    token = display_token(api, admin)
    shown = api.get("/api/calls/", headers={"Authorization": f"Bearer {token}"})
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["calls"] == [
        {
            "id": body["calls"][0]["id"],
            "number": "A-002",
            "room": "Behandlungsraum 2",
            "called_at": "2027-01-18T09:05:00+01:00",
        }
    ]
    assert (body["title"], body["chime"], body["history"]) == ("Aufruf", True, 5)
    assert "patient" not in shown.text.lower()
    with db() as session:
        audit = session.scalars(
            select(AuditLog).where(AuditLog.action == "patient_flow_call")
        ).one()
    assert audit.patient_id == flows.op.patient_id
    assert audit.meta == {
        "flow_id": second["id"],
        "call_number": "A-002",
        "room": "Behandlungsraum 2",
    }

    # The next day starts at 001 again (the first visit is removed so it may be checked in).
    assert api.delete(f"/api/patient-flow/{first['id']}/", headers=admin).status_code == 204
    set_now(api, clock(8, day=date(2027, 1, 19)))
    again = check_in(api, admin, appointment_id=flows.appointment["id"])
    assert again["call_number"] == "A-001"


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_a_display_token_reads_the_calls_and_nothing_else(api: TestClient, users: Users) -> None:
    admin = users.headers(users.create("admin"))
    token = display_token(api, admin)
    as_display = {"Authorization": f"Bearer {token}"}
    listed = api.get("/api/practice/display-tokens/", headers=admin).json()
    assert [row["name"] for row in listed] == ["Wartezimmer"]
    assert "token" not in listed[0]

    checked = 0
    for route in doctor_scoping._routes(api.app):  # type: ignore[arg-type]
        if is_method_fallback(route):
            continue
        if route.path in ("/api/calls/", "/api/calls/stream/"):
            continue
        for method in route.methods or ():
            if method == "HEAD":
                continue
            policy = policy_for(route.path) if route.path.startswith("/api/") else None
            if policy is not None and policy.for_method(method) is Audience.PUBLIC:
                continue  # login, health, setup status: open to anyone, credential or not
            if policy is None:
                continue  # "/", "/health/", the schema pages
            response = api.request(method, _concrete(route.path), headers=as_display, json={})
            assert response.status_code in (401, 403), (method, route.path, response.status_code)
            checked += 1
    assert checked > 60
    assert api.post("/api/calls/", headers=as_display).status_code in (401, 403, 405)

    staff = users.headers(users.create("assistant"))
    assert api.get("/api/calls/", headers=staff).status_code == 200
    assert api.get("/api/calls/stream/", headers=staff).status_code == 403
    assert api.get("/api/calls/", headers=users.headers(users.create("nurse"))).status_code == 403
    assert api.get("/api/calls/").status_code == 401
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    assert api.get("/api/calls/", headers={"Authorization": f"Bearer {forged}"}).status_code == 401

    token_id = listed[0]["id"]
    assert api.delete(f"/api/practice/display-tokens/{token_id}/", headers=staff).status_code == 403
    assert api.delete(f"/api/practice/display-tokens/{token_id}/", headers=admin).status_code == 204
    assert api.get("/api/calls/", headers=as_display).status_code == 401
    assert api.get("/api/calls/stream/", headers=as_display).status_code == 401
