"""Every audit row a fixed sequence of requests writes today is still written (issue 23).

The performance work changes how reads are authenticated and audited (cached principals,
cheaper read-audit commits); this pins the audit trail those requests leave behind, row by
row: action, actor, role and patient, in order.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.server import scheduling_fixtures
from tests.server.conftest import Users
from tests.server.scheduling_fixtures import MONDAY, Practice, at, audit_rows

practice = scheduling_fixtures.appointment_practice
api = scheduling_fixtures.api


def test_a_fixed_request_sequence_writes_the_same_audit_rows(
    api: TestClient, practice: Practice, users: Users, db: sessionmaker[Session]
) -> None:
    admin = users.create("admin", "chef")
    assistant = users.create("assistant", "mfa")
    as_admin, as_assistant = users.headers(admin), users.headers(assistant)
    doctor = users.headers(practice.doctor)
    day = MONDAY.isoformat()
    patient = practice.patient_id

    created = api.post("/api/appointments/", json=practice.body(), headers=as_assistant)
    assert created.status_code == 201, created.text
    appointment_id = created.json()["id"]
    sequence = [
        ("GET", f"/api/appointments/?date={day}", as_assistant),
        ("GET", f"/api/appointments/?date={day}", as_assistant),  # each read is audited
        ("GET", f"/api/appointments/{appointment_id}/", doctor),
        ("GET", f"/api/calendar/week/?date={day}", as_assistant),
        ("GET", f"/api/patients/{patient}/", as_admin),
        ("GET", "/api/patients/?search=Muster", as_assistant),
        ("GET", "/api/patient-flow/live/", as_assistant),
        ("GET", f"/api/op-timeline/?date={day}", as_assistant),
        ("GET", f"/api/op-stats/overview/?from={day}&to={day}", as_admin),
        (
            "GET",
            f"/api/appointments/suggest/?doctor_id={practice.doctor.id}"
            f"&duration_minutes=30&start_date={day}",
            as_assistant,
        ),
        ("GET", "/api/health/", {}),  # never audited
        ("GET", "/api/auth/me/", as_assistant),  # never audited
        ("GET", "/api/doctors/", as_assistant),  # never audited
    ]
    for method, path, headers in sequence:
        response = api.request(method, path, headers=headers)
        assert response.status_code == 200, f"{path}: {response.text}"
    moved = api.patch(
        f"/api/appointments/{appointment_id}/",
        json={"start_time": at(11), "end_time": at(11, 30)},
        headers=as_assistant,
    )
    assert moved.status_code == 200, moved.text
    refused = api.get(f"/api/patients/{patient}/", headers=users.headers(users.create(None)))
    assert refused.status_code == 403  # refused reads leave no row

    rows = [(r.action, r.user_id, r.role_name, r.patient_id) for r in audit_rows(db)]
    a, d, s = admin.id, practice.doctor.id, assistant.id
    assert rows == [
        ("appointment_create", s, "assistant", patient),
        ("appointment_list", s, "assistant", None),
        ("appointment_list", s, "assistant", None),
        ("appointment_view", d, "doctor", patient),
        ("calendar_week", s, "assistant", None),
        ("doctor_substitution_list", s, "assistant", None),  # the week's substitution panel
        ("patient_view", a, "admin", patient),
        ("patient_list", s, "assistant", None),
        ("patient_flow_view", s, "assistant", None),
        ("op_timeline_view", s, "assistant", None),
        ("op_stats_view", a, "admin", None),
        ("appointment_suggest", s, "assistant", None),
        ("appointment_update", s, "assistant", patient),
    ]
