"""Patient-flow roles (spec 05 §8, ``rbac-operations-flow.md`` §2.7, §3, §5): doctors see and
write only own flows (foreign → 404) and link only own appointments/operations (D-PF-08),
billing reads only, other roles get 403 everywhere, unsupported methods 403/405."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_operations import NOW
from tests.server.test_patient_flow import (
    FlowPractice,
    Headers,
    audit_rows,
    build_flow_practice,
    create_flow,
    events,
    set_status,
)


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


@pytest.fixture
def flows(api: TestClient, db: sessionmaker[Session], users: Users) -> FlowPractice:
    return build_flow_practice(api, db, users)


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def test_doctor_sees_flows_of_own_appointments_and_of_every_team_role(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users
) -> None:
    own_appointment = create_flow(api, admin, appointment_id=flows.appointment["id"])
    foreign_appointment = create_flow(api, admin, appointment_id=flows.other_appointment["id"])
    team_operation = create_flow(api, admin, operation_id=flows.operation["id"])
    foreign_operation = create_flow(api, admin, operation_id=flows.other_operation["id"])
    surgeon = users.headers(flows.op.surgeon)
    anesthesist = users.headers(flows.op.anesthesist)
    other = users.headers(flows.op.other_surgeon)

    def visible(headers: Headers, path: str = "/api/patient-flow/") -> set[int]:
        response = api.get(path, headers=headers)
        assert response.status_code == 200
        return {f["id"] for f in response.json()}

    assert visible(surgeon) == {own_appointment["id"], team_operation["id"]}
    assert visible(surgeon, "/api/patient-flow/live/") == {
        own_appointment["id"],
        team_operation["id"],
    }
    assert visible(anesthesist) == {team_operation["id"]}
    assert visible(other) == {foreign_appointment["id"], foreign_operation["id"]}
    for role in ("admin", "assistant", "billing"):
        assert len(visible(users.headers(users.create(role)))) == 4
    # Foreign detail, update, status, delete: 404 (the doctor's queryset is filtered).
    path = f"/api/patient-flow/{foreign_appointment['id']}/"
    assert api.get(path, headers=surgeon).status_code == 404
    assert api.patch(path, json={"notes": "x"}, headers=surgeon).status_code == 404
    assert api.put(path, json={}, headers=surgeon).status_code == 404
    assert api.patch(f"{path}status/", json={"status": "waiting"}, headers=surgeon).status_code == (
        404
    )
    assert api.delete(path, headers=surgeon).status_code == 404
    # Own flows: read and write.
    assert api.get(
        f"/api/patient-flow/{team_operation['id']}/", headers=anesthesist
    ).status_code == (200)
    assert set_status(api, anesthesist, team_operation["id"], "waiting")["status"] == "waiting"
    assert (
        api.delete(f"/api/patient-flow/{own_appointment['id']}/", headers=surgeon).status_code
        == 204
    )


def test_doctor_links_only_own_appointments_and_operations(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    """D-PF-08: 403 before any field validation; unknown/malformed ids are left to rule 1."""
    surgeon = users.headers(flows.op.surgeon)
    for body in (
        {"appointment_id": flows.other_appointment["id"]},
        {"operation_id": flows.other_operation["id"]},
        {"appointment_id": flows.other_appointment["id"], "status": "lunch"},
        {"appointment_id": flows.appointment["id"], "operation_id": flows.other_operation["id"]},
        {"appointment_id": str(flows.other_appointment["id"])},
    ):
        response = api.post("/api/patient-flow/", json=body, headers=surgeon)
        assert response.status_code == 403, (body, response.text)
    unknown = api.post("/api/patient-flow/", json={"appointment_id": 999999}, headers=surgeon)
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"appointment_id": ['Invalid pk "999999" - object does not exist.']},
    )
    both_own = api.post(
        "/api/patient-flow/",
        json={"appointment_id": flows.appointment["id"], "operation_id": flows.operation["id"]},
        headers=surgeon,
    )
    assert both_own.status_code == 400
    own = create_flow(api, surgeon, appointment_id=flows.appointment["id"])
    # Anesthesist in the team: the operation is theirs too.
    create_flow(api, users.headers(flows.op.anesthesist), operation_id=flows.operation["id"])
    # Relinking an own flow onto a foreign link: 403, nothing changes.
    relink = api.patch(
        f"/api/patient-flow/{own['id']}/",
        json={"appointment_id": flows.other_appointment["id"]},
        headers=surgeon,
    )
    assert relink.status_code == 403
    assert (
        api.get(f"/api/patient-flow/{own['id']}/", headers=surgeon).json()["appointment"]["id"]
        == (flows.appointment["id"])
    )
    assert [r.action for r in audit_rows(db)].count("patient_flow_create") == 2
    assert len(events(db, own["id"])) == 1


def test_billing_reads_but_never_writes(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    billing = users.headers(users.create("billing"))
    path = f"/api/patient-flow/{flow['id']}/"
    assert api.get("/api/patient-flow/", headers=billing).status_code == 200
    assert api.get("/api/patient-flow/live/", headers=billing).status_code == 200
    assert api.get(path, headers=billing).status_code == 200
    assert api.post("/api/patient-flow/", json={}, headers=billing).status_code == 403
    assert api.put(path, json={}, headers=billing).status_code == 403
    assert api.patch(path, json={}, headers=billing).status_code == 403
    assert api.delete(path, headers=billing).status_code == 403
    # The role check comes before the lookup: unknown ids are 403 too.
    assert api.patch("/api/patient-flow/999999/status/", json={}, headers=billing).status_code == (
        403
    )
    assert api.delete("/api/patient-flow/999999/", headers=billing).status_code == 403


@pytest.mark.parametrize("role", ["nurse", None])
def test_other_roles_get_403_everywhere(
    role: str | None,
    api: TestClient,
    admin: Headers,
    flows: FlowPractice,
    as_role: Callable[[str | None], Headers],
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    headers = as_role(role)
    path = f"/api/patient-flow/{flow['id']}/"
    for method, url in (
        ("GET", "/api/patient-flow/"),
        ("POST", "/api/patient-flow/"),
        ("GET", "/api/patient-flow/live/"),
        ("GET", path),
        ("PUT", path),
        ("PATCH", path),
        ("DELETE", path),
        ("PATCH", f"{path}status/"),
    ):
        response = api.request(method, url, json={"status": "waiting"}, headers=headers)
        assert response.status_code == 403, (method, url)
    assert api.get("/api/patient-flow/").status_code == 401


WRITERS = {"admin", "assistant", "doctor"}
READERS = {"admin", "assistant", "doctor", "billing"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/patient-flow/", WRITERS),
        ("PATCH", "/api/patient-flow/", WRITERS),
        ("DELETE", "/api/patient-flow/", WRITERS),
        ("POST", "/api/patient-flow/live/", WRITERS),
        ("PUT", "/api/patient-flow/live/", WRITERS),
        ("PATCH", "/api/patient-flow/live/", WRITERS),
        ("DELETE", "/api/patient-flow/live/", WRITERS),
        ("POST", "/api/patient-flow/1/", WRITERS),
        ("GET", "/api/patient-flow/1/status/", READERS),
        ("POST", "/api/patient-flow/1/status/", WRITERS),
        ("PUT", "/api/patient-flow/1/status/", WRITERS),
        ("DELETE", "/api/patient-flow/1/status/", WRITERS),
    ],
)
def test_unsupported_methods(
    method: str,
    path: str,
    allowed: set[str],
    api: TestClient,
    as_role: Callable[[str | None], Headers],
) -> None:
    """rbac §5: role check first (read roles for GET, write roles otherwise), then 405."""
    for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
        response = api.request(method, path, headers=as_role(role))
        expected = 405 if role in allowed else 403
        assert response.status_code == expected, (role, response.text)
        if expected == 405:
            assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    assert api.request(method, path).status_code == 401


def test_failed_requests_write_no_audit_rows(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    before = len(audit_rows(db, ""))
    surgeon = users.headers(flows.op.other_surgeon)
    billing = users.headers(users.create("billing"))
    api.get(f"/api/patient-flow/{flow['id']}/", headers=surgeon)  # 404
    api.patch(f"/api/patient-flow/{flow['id']}/status/", json={"status": "x"}, headers=admin)
    api.post("/api/patient-flow/", json={}, headers=admin)
    api.post("/api/patient-flow/", json={}, headers=billing)
    api.delete("/api/patient-flow/999999/", headers=admin)
    assert len(audit_rows(db, "")) == before
