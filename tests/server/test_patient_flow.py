"""Patient flow (spec 05): the reference and acceptance scenarios, status chain, derived
figures, representation, write rules, done lock, audit, live events, delete guards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.patient_flow.models import PatientFlowStatusEvent
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_operations import BERLIN, NOW, OpPractice, at, build_op_practice

Headers = dict[str, str]
FLOW_DAY = date(2027, 1, 18)


def clock(hour: int, minute: int = 0, day: date = FLOW_DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def set_now(api: TestClient, moment: datetime) -> None:
    """Move the test clock of the running app (00 §6 ``PRAXI_TEST_NOW``)."""
    api.app.state.praxi.settings.test_now = moment  # type: ignore[attr-defined]


@dataclass
class FlowPractice:
    op: OpPractice
    appointment: dict[str, Any]  # the surgeon's appointment
    other_appointment: dict[str, Any]  # the other surgeon's appointment
    cancelled_appointment: dict[str, Any]
    operation: dict[str, Any]  # surgeon primary, anesthesist in the team
    other_operation: dict[str, Any]  # other surgeon only
    cancelled_operation: dict[str, Any]

    @property
    def surgeon_id(self) -> int:
        return self.op.surgeon.id


def _post(api: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def build_flow_practice(api: TestClient, db: sessionmaker[Session], users: Users) -> FlowPractice:
    op = build_op_practice(db, users)
    staff = users.headers(users.create("admin", "flow.setup"))
    set_now(api, NOW)

    def appointment(doctor: int, hour: int, **extra: Any) -> dict[str, Any]:
        body = {
            "patient_id": op.patient_id,
            "doctor": doctor,
            "start_time": at(hour),
            "end_time": at(hour, 30),
            "notes": "A",
            **extra,
        }
        return _post(api, staff, "/api/appointments/", body)

    def operation(surgeon: int, hour: int, room: int, **extra: Any) -> dict[str, Any]:
        body = op.body(primary_surgeon=surgeon, start_time=at(hour), op_room=room, **extra)
        return _post(api, staff, "/api/operations/", body)

    practice = FlowPractice(
        op=op,
        appointment=appointment(op.surgeon.id, 13),
        other_appointment=appointment(op.other_surgeon.id, 14),
        cancelled_appointment=appointment(op.surgeon.id, 15, status="cancelled"),
        operation=operation(op.surgeon.id, 10, op.room_id, anesthesist=op.anesthesist.id),
        other_operation=operation(op.other_surgeon.id, 11, op.other_room_id),
        cancelled_operation=operation(op.other_surgeon.id, 16, op.room_id, status="planned"),
    )
    cancel = api.patch(
        f"/api/operations/{practice.cancelled_operation['id']}/",
        json={"status": "cancelled"},
        headers=staff,
    )
    assert cancel.status_code == 200, cancel.text
    set_now(api, clock(8))
    return practice


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


def audit_rows(db: sessionmaker[Session], prefix: str = "patient_flow") -> list[AuditLog]:
    with db() as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.action.startswith(prefix)).order_by(AuditLog.id)
        )
        return list(rows)


def events(db: sessionmaker[Session], flow_id: int) -> list[tuple[str | None, str, datetime]]:
    with db() as session:
        rows = session.execute(
            select(
                PatientFlowStatusEvent.from_status,
                PatientFlowStatusEvent.to_status,
                PatientFlowStatusEvent.changed_at,
            )
            .where(PatientFlowStatusEvent.flow_id == flow_id)
            .order_by(PatientFlowStatusEvent.id)
        )
        return [(a, b, c) for a, b, c in rows]


def create_flow(api: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    response = api.post("/api/patient-flow/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def set_status(api: TestClient, headers: Headers, flow_id: int, value: str) -> dict[str, Any]:
    response = api.patch(
        f"/api/patient-flow/{flow_id}/status/", json={"status": value}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def walk_to(api: TestClient, headers: Headers, flow_id: int, target: str) -> None:
    """Advance a flow step by step up to ``target`` (from ``registered``)."""
    chain = ["waiting", "preparing", "in_treatment", "post_treatment", "done"]
    for value in chain[: chain.index(target) + 1]:
        set_status(api, headers, flow_id, value)


# --- §4 reference and §12 acceptance scenario ----------------------------------------------


def test_reference_scenario_wait_and_treatment_minutes(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    """05 §4: arrival 08:00 … done 09:00 → wait 20, treatment 40; times from the events."""
    flow = create_flow(
        api, admin, appointment_id=flows.appointment["id"], arrival_time=clock(8).isoformat()
    )
    assert flow["wait_time_minutes"] == 0
    assert flow["treatment_time_minutes"] == 0
    for minute, value in ((5, "waiting"), (10, "preparing"), (20, "in_treatment")):
        set_now(api, clock(8, minute))
        set_status(api, admin, flow["id"], value)
    set_now(api, clock(8, 30))
    midway = api.get(f"/api/patient-flow/{flow['id']}/", headers=admin).json()
    assert (midway["wait_time_minutes"], midway["treatment_time_minutes"]) == (20, 10)
    assert midway["status_changed_at"] == "2027-01-18T08:20:00+01:00"
    assert midway["status_timestamps"] == {
        "registered": "2027-01-18T08:00:00+01:00",
        "waiting": "2027-01-18T08:05:00+01:00",
        "preparing": "2027-01-18T08:10:00+01:00",
        "in_treatment": "2027-01-18T08:20:00+01:00",
    }
    for hour, minute, value in ((8, 50, "post_treatment"), (9, 0, "done")):
        set_now(api, clock(hour, minute))
        set_status(api, admin, flow["id"], value)
    set_now(api, clock(11))  # later reads do not grow finished figures
    done = api.get(f"/api/patient-flow/{flow['id']}/", headers=admin).json()
    assert (done["wait_time_minutes"], done["treatment_time_minutes"]) == (20, 40)
    assert list(done["status_timestamps"]) == [
        "registered",
        "waiting",
        "preparing",
        "in_treatment",
        "post_treatment",
        "done",
    ]
    assert [(a, b) for a, b, _ in events(db, flow["id"])] == [
        (None, "registered"),
        ("registered", "waiting"),
        ("waiting", "preparing"),
        ("preparing", "in_treatment"),
        ("in_treatment", "post_treatment"),
        ("post_treatment", "done"),
    ]


def test_durations_come_from_events_not_from_audit_rows(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(
        api, admin, appointment_id=flows.appointment["id"], arrival_time=clock(8).isoformat()
    )
    set_now(api, clock(8, 20))
    set_status(api, admin, flow["id"], "waiting")
    set_status(api, admin, flow["id"], "preparing")
    set_status(api, admin, flow["id"], "in_treatment")
    with db() as session, session.begin():  # the authoritative times move, audit rows do not
        session.execute(
            text(
                "UPDATE patient_flow_status_events SET changed_at = :at "
                "WHERE flow_id = :id AND to_status = 'in_treatment'"
            ),
            {"at": clock(8, 12), "id": flow["id"]},
        )
    set_now(api, clock(8, 30))
    body = api.get(f"/api/patient-flow/{flow['id']}/", headers=admin).json()
    assert (body["wait_time_minutes"], body["treatment_time_minutes"]) == (12, 18)


def test_figures_without_arrival_and_clamped_at_zero(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    no_arrival = create_flow(api, admin, appointment_id=flows.appointment["id"], arrival_time=None)
    assert no_arrival["arrival_time"] is None
    assert no_arrival["wait_time_minutes"] is None
    future = create_flow(
        api,
        admin,
        operation_id=flows.operation["id"],
        arrival_time=clock(9, 0, FLOW_DAY).isoformat(),
    )
    assert future["wait_time_minutes"] == 0  # arrival after now: clamped
    set_now(api, clock(9, 1, FLOW_DAY).replace(second=59))
    body = api.get(f"/api/patient-flow/{future['id']}/", headers=admin).json()
    assert body["wait_time_minutes"] == 1  # floor(119 s / 60)


def test_acceptance_scenario(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    """05 §12, step by step."""
    doctor = users.headers(flows.op.surgeon)
    # 1.
    first = create_flow(
        api,
        admin,
        appointment_id=flows.appointment["id"],
        status="registered",
        arrival_time=clock(8).isoformat(),
    )
    second = create_flow(api, admin, operation_id=flows.other_operation["id"])
    # 2.
    before = len(audit_rows(db))
    listed = api.get("/api/patient-flow/", headers=admin)
    assert listed.status_code == 200
    assert {f["id"] for f in listed.json()} == {first["id"], second["id"]}
    new_rows = audit_rows(db)[before:]
    assert [(r.action, r.meta) for r in new_rows] == [("patient_flow_view", None)]
    # 3.
    for hour, minute, value in (
        (8, 5, "waiting"),
        (8, 10, "preparing"),
        (8, 20, "in_treatment"),
        (8, 50, "post_treatment"),
        (9, 0, "done"),
    ):
        set_now(api, clock(hour, minute))
        before = len(audit_rows(db))
        set_status(api, admin, first["id"], value)
        assert [r.action for r in audit_rows(db)[before:]] == ["patient_flow_status_update"]
    # 4.
    detail = api.get(f"/api/patient-flow/{first['id']}/", headers=admin).json()
    assert (detail["wait_time_minutes"], detail["treatment_time_minutes"]) == (20, 40)
    # 5.
    locked = api.patch(f"/api/patient-flow/{first['id']}/", json={"notes": "x"}, headers=admin)
    assert locked.status_code == 403
    # 6.
    own = api.get("/api/patient-flow/", headers=doctor).json()
    assert [f["id"] for f in own] == [first["id"]]
    # 7.
    live = [f["id"] for f in api.get("/api/patient-flow/live/", headers=admin).json()]
    assert second["id"] in live
    assert first["id"] not in live
    # 8.
    billing = users.headers(users.create("billing"))
    assert api.get("/api/patient-flow/", headers=billing).status_code == 200
    refused = api.post(
        "/api/patient-flow/", json={"appointment_id": flows.appointment["id"]}, headers=billing
    )
    assert refused.status_code == 403


# --- §5 representation ---------------------------------------------------------------------


def test_representation_nests_the_appointment_and_operation_reads(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    flow = create_flow(
        api,
        admin,
        appointment_id=flows.appointment["id"],
        arrival_time=clock(8).isoformat(),
        notes="start",
    )
    assert list(flow) == [
        "id",
        "appointment",
        "operation",
        "status",
        "arrival_time",
        "status_changed_at",
        "notes",
        "wait_time_minutes",
        "treatment_time_minutes",
        "status_timestamps",
        "call_number",
        "last_call",
    ]
    appointment = api.get(f"/api/appointments/{flows.appointment['id']}/", headers=admin).json()
    assert flow["appointment"] == appointment
    assert list(flow["appointment"]) == list(appointment)
    assert flow["operation"] is None
    assert flow["status"] == "registered"
    assert flow["arrival_time"] == "2027-01-18T08:00:00+01:00"
    assert flow["status_changed_at"] == "2027-01-18T08:00:00+01:00"
    assert flow["notes"] == "start"
    assert flow["status_timestamps"] == {"registered": "2027-01-18T08:00:00+01:00"}

    op_flow = create_flow(api, admin, operation_id=flows.operation["id"])
    operation = api.get(f"/api/operations/{flows.operation['id']}/", headers=admin).json()
    assert op_flow["operation"] == operation
    assert list(op_flow["operation"]) == list(operation)
    assert op_flow["appointment"] is None
    # D-PF-05: omitted arrival_time = creation time; notes default null.
    assert op_flow["arrival_time"] == "2027-01-18T08:00:00+01:00"
    assert op_flow["notes"] is None

    listed = api.get("/api/patient-flow/", headers=admin).json()
    assert {f["id"]: f for f in listed} == {flow["id"]: flow, op_flow["id"]: op_flow}


def test_times_render_with_z_in_a_utc_practice(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    settings = make_settings(database_url, tmp_path, test_now=NOW, timezone="UTC")
    with shared_client(settings) as utc_api:
        practice = build_flow_practice(utc_api, db, users)
        set_now(utc_api, datetime(2030, 1, 7, 8, 0, tzinfo=UTC))
        headers = users.headers(users.create("admin"))
        flow = create_flow(utc_api, headers, appointment_id=practice.appointment["id"])
    assert flow["status_changed_at"] == "2030-01-07T08:00:00Z"
    assert flow["status_timestamps"] == {"registered": "2030-01-07T08:00:00Z"}
    assert flow["appointment"]["start_time"].endswith("Z")


def test_list_and_live_are_rendered_in_one_statement(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    create_flow(api, admin, appointment_id=flows.appointment["id"])
    create_flow(api, admin, appointment_id=flows.other_appointment["id"])
    create_flow(api, admin, operation_id=flows.operation["id"])
    create_flow(api, admin, operation_id=flows.other_operation["id"])
    app_engine = api.app.state.praxi.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(app_engine, "before_cursor_execute", count)
    try:
        assert len(api.get("/api/patient-flow/", headers=admin).json()) == 4
        assert len(api.get("/api/patient-flow/live/", headers=admin).json()) == 4
    finally:
        event.remove(app_engine, "before_cursor_execute", count)
    assert len([s for s in statements if "FROM patient_flows" in s]) == 2


def test_ordering_is_newest_status_change_first(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    a = create_flow(api, admin, appointment_id=flows.appointment["id"])
    b = create_flow(api, admin, appointment_id=flows.other_appointment["id"])
    set_now(api, clock(8, 1))
    c = create_flow(api, admin, operation_id=flows.operation["id"])
    set_now(api, clock(8, 2))
    set_status(api, admin, a["id"], "waiting")
    set_now(api, clock(8, 3))
    # D-PF-06: a notes edit does not reorder the board.
    api.patch(f"/api/patient-flow/{b['id']}/", json={"notes": "n"}, headers=admin)
    ids = [f["id"] for f in api.get("/api/patient-flow/", headers=admin).json()]
    assert ids == [a["id"], c["id"], b["id"]]
    assert [f["id"] for f in api.get("/api/patient-flow/live/", headers=admin).json()] == ids


# --- §3 status chain -----------------------------------------------------------------------


def test_status_chain_is_strictly_one_step_forward(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    path = f"/api/patient-flow/{flow['id']}/status/"

    def refused(value: Any) -> Any:
        response = api.patch(path, json={"status": value}, headers=admin)
        assert response.status_code == 400, response.text
        return response.json()

    assert refused("preparing") == {"status": ["Ungültiger Übergang registered -> preparing."]}
    assert refused("done") == {"status": ["Ungültiger Übergang registered -> done."]}
    set_status(api, admin, flow["id"], "waiting")
    assert refused("done") == {"status": ["Ungültiger Übergang waiting -> done."]}
    assert refused("registered") == {"status": ["Ungültiger Übergang waiting -> registered."]}
    assert refused("lunch") == {"status": ['"lunch" is not a valid choice.']}
    assert refused(None) == {"status": ["This field may not be null."]}
    # D-PF-12: no status at all is an error, not a no-op.
    assert api.patch(path, json={}, headers=admin).json() == {"status": ["This field is required."]}
    assert api.patch(path, headers=admin).status_code == 400
    assert [b for _, b, _ in events(db, flow["id"])] == ["registered", "waiting"]
    assert [r.action for r in audit_rows(db)] == [
        "patient_flow_create",
        "patient_flow_status_update",
    ]


def test_same_status_is_an_audited_no_op(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    set_now(api, clock(8, 30))
    body = set_status(api, admin, flow["id"], "registered")
    assert body["status"] == "registered"
    assert body["status_changed_at"] == flow["status_changed_at"]
    assert len(events(db, flow["id"])) == 1
    row = audit_rows(db)[-1]
    assert (row.action, row.meta) == (
        "patient_flow_status_update",
        {"flow_id": flow["id"], "from": "registered", "to": "registered"},
    )
    assert row.patient_id == flows.op.patient_id
    # The same through the detail PATCH: accepted, no event, only patient_flow_update.
    response = api.patch(
        f"/api/patient-flow/{flow['id']}/", json={"status": "registered"}, headers=admin
    )
    assert response.status_code == 200
    assert len(events(db, flow["id"])) == 1
    assert audit_rows(db)[-1].action == "patient_flow_update"


def test_detail_update_changes_status_through_the_same_table(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    path = f"/api/patient-flow/{flow['id']}/"
    skip = api.patch(path, json={"status": "preparing", "notes": "x"}, headers=admin)
    assert (skip.status_code, skip.json()) == (
        400,
        {"status": ["Ungültiger Übergang registered -> preparing."]},
    )
    set_now(api, clock(8, 7))
    before = len(audit_rows(db))
    moved = api.patch(path, json={"status": "waiting", "notes": "x"}, headers=admin)
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "waiting"
    assert moved.json()["notes"] == "x"
    assert moved.json()["status_changed_at"] == "2027-01-18T08:07:00+01:00"
    rows = audit_rows(db)[before:]
    assert [(r.action, r.meta, r.patient_id) for r in rows] == [
        ("patient_flow_update", None, None),
        (
            "patient_flow_status_update",
            {"flow_id": flow["id"], "from": "registered", "to": "waiting"},
            flows.op.patient_id,
        ),
    ]
    assert [(a, b) for a, b, _ in events(db, flow["id"])] == [
        (None, "registered"),
        ("registered", "waiting"),
    ]
    put = api.put(
        path,
        json={"appointment_id": flows.appointment["id"], "status": "preparing"},
        headers=admin,
    )
    assert put.status_code == 200
    assert [b for _, b, _ in events(db, flow["id"])][-1] == "preparing"


# --- §6 write payload and validation -------------------------------------------------------


def _post_400(api: TestClient, headers: Headers, body: Any) -> Any:
    response = api.post("/api/patient-flow/", json=body, headers=headers)
    assert response.status_code == 400, response.text
    return response.json()


def test_rule_1_field_errors_are_reported_together(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    assert _post_400(
        api,
        admin,
        {
            "appointment_id": 999999,
            "operation_id": "abc",
            "status": "lunch",
            "arrival_time": "yesterday",
            "notes": "a\u0000b",
        },
    ) == {
        "appointment_id": ['Invalid pk "999999" - object does not exist.'],
        "operation_id": ["Incorrect type. Expected pk value, received str."],
        "status": ['"lunch" is not a valid choice.'],
        "arrival_time": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ],
        "notes": ["Null characters are not allowed."],
    }
    assert _post_400(api, admin, {"operation_id": 999}) == {
        "operation_id": ['Invalid pk "999" - object does not exist.']
    }
    assert _post_400(api, admin, {"appointment_id": 0}) == {
        "appointment_id": ['Invalid pk "0" - object does not exist.']
    }
    assert _post_400(api, admin, {"appointment_id": 2**63}) == {
        "appointment_id": ["Ensure this value is less than or equal to 9223372036854775807."]
    }
    assert _post_400(api, admin, {"appointment_id": -(2**70)}) == {
        "appointment_id": [f'Invalid pk "{-(2**70)}" - object does not exist.']
    }
    assert _post_400(api, admin, {"appointment_id": True}) == {
        "appointment_id": ["Incorrect type. Expected pk value, received bool."]
    }
    assert _post_400(api, admin, [1, 2]) == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
    # Rule 1 comes before rule 2: a missing link is only reported once the fields are valid.
    assert _post_400(api, admin, {"status": "lunch"}) == {
        "status": ['"lunch" is not a valid choice.']
    }


def test_rules_2_to_4_links(api: TestClient, admin: Headers, flows: FlowPractice) -> None:
    assert _post_400(api, admin, {}) == {
        "non_field_errors": ["Entweder Termin oder Operation muss gesetzt sein."]
    }
    assert _post_400(api, admin, {"appointment_id": None, "operation_id": None}) == {
        "non_field_errors": ["Entweder Termin oder Operation muss gesetzt sein."]
    }
    both = {"appointment_id": flows.appointment["id"], "operation_id": flows.operation["id"]}
    assert _post_400(api, admin, both) == {
        "non_field_errors": ["Nur Termin oder Operation darf gesetzt sein, nicht beides."]
    }
    cancelled = {
        "non_field_errors": [
            "Cannot create a patient flow for a cancelled appointment or operation."
        ]
    }
    assert _post_400(api, admin, {"appointment_id": flows.cancelled_appointment["id"]}) == cancelled
    assert _post_400(api, admin, {"operation_id": flows.cancelled_operation["id"]}) == cancelled
    # Rule 4 before rule 6.
    assert (
        _post_400(
            api, admin, {"appointment_id": flows.cancelled_appointment["id"], "status": "done"}
        )
        == cancelled
    )


@pytest.mark.parametrize("value", ["preparing", "in_treatment", "post_treatment", "done"])
def test_rule_6_initial_status(
    value: str, api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    assert _post_400(api, admin, {"appointment_id": flows.appointment["id"], "status": value}) == {
        "status": [f"Ungültiger Anfangsstatus {value}."]
    }


def test_waiting_is_a_valid_initial_status(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"], status="waiting")
    assert flow["status"] == "waiting"
    assert [(a, b) for a, b, _ in events(db, flow["id"])] == [(None, "waiting")]
    row = audit_rows(db)[-1]
    assert (row.action, row.patient_id, row.meta) == (
        "patient_flow_create",
        flows.op.patient_id,
        {"flow_id": flow["id"], "status": "waiting"},
    )


def test_rule_7_one_active_flow_per_appointment_and_operation(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    active = {
        "non_field_errors": [
            "Für diesen Termin bzw. diese Operation existiert bereits ein aktiver Patientenfluss."
        ]
    }
    first = create_flow(api, admin, appointment_id=flows.appointment["id"])
    assert _post_400(api, admin, {"appointment_id": flows.appointment["id"]}) == active
    op_flow = create_flow(api, admin, operation_id=flows.operation["id"])
    assert _post_400(api, admin, {"operation_id": flows.operation["id"]}) == active
    # Relinking onto a link with an active flow is refused too.
    relink = api.patch(
        f"/api/patient-flow/{op_flow['id']}/",
        json={"operation_id": None, "appointment_id": flows.appointment["id"]},
        headers=admin,
    )
    assert (relink.status_code, relink.json()) == (400, active)
    # Once the first flow is done, a new one may start (a second visit).
    walk_to(api, admin, first["id"], "done")
    create_flow(api, admin, appointment_id=flows.appointment["id"])


def test_put_requires_the_link_and_keeps_omitted_optionals(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    flow = create_flow(
        api,
        admin,
        appointment_id=flows.appointment["id"],
        arrival_time=clock(7, 55).isoformat(),
        notes="keep",
    )
    path = f"/api/patient-flow/{flow['id']}/"
    missing = api.put(path, json={"notes": "x"}, headers=admin)
    assert (missing.status_code, missing.json()) == (
        400,
        {"non_field_errors": ["Entweder Termin oder Operation muss gesetzt sein."]},
    )
    put = api.put(path, json={"appointment_id": flows.appointment["id"]}, headers=admin)
    assert put.status_code == 200
    body = put.json()
    assert (body["notes"], body["arrival_time"], body["status"]) == (
        "keep",
        "2027-01-18T07:55:00+01:00",
        "registered",
    )
    # PUT relinks from the payload alone: the stored appointment is dropped.
    relinked = api.put(path, json={"operation_id": flows.operation["id"]}, headers=admin)
    assert relinked.status_code == 200
    assert relinked.json()["appointment"] is None
    assert relinked.json()["operation"]["id"] == flows.operation["id"]
    # PATCH uses the stored link where the body is silent: adding the other one is rule 3.
    both = api.patch(path, json={"appointment_id": flows.appointment["id"]}, headers=admin)
    assert (both.status_code, both.json()) == (
        400,
        {"non_field_errors": ["Nur Termin oder Operation darf gesetzt sein, nicht beides."]},
    )
    swapped = api.patch(
        path,
        json={"appointment_id": flows.appointment["id"], "operation_id": None, "notes": None},
        headers=admin,
    )
    assert swapped.status_code == 200
    assert swapped.json()["appointment"]["id"] == flows.appointment["id"]
    assert swapped.json()["notes"] is None
    cleared = api.patch(path, json={"arrival_time": None, "notes": "  pad  "}, headers=admin)
    assert cleared.json()["arrival_time"] is None
    assert cleared.json()["wait_time_minutes"] is None
    assert cleared.json()["notes"] == "pad"


def test_update_check_order_404_before_400(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    for method in ("PUT", "PATCH"):
        response = api.request(
            method,
            "/api/patient-flow/999999/",
            content=b"{not json",
            headers={**admin, "content-type": "application/json"},
        )
        assert response.status_code == 404
    status = api.request(
        "PATCH",
        "/api/patient-flow/999999/status/",
        content=b"{not json",
        headers={**admin, "content-type": "application/json"},
    )
    assert status.status_code == 404
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    bad = api.request(
        "PATCH",
        f"/api/patient-flow/{flow['id']}/",
        content=b"{not json",
        headers={**admin, "content-type": "application/json"},
    )
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("JSON parse error - ")
    wrong_type = api.request(
        "PATCH",
        f"/api/patient-flow/{flow['id']}/status/",
        content=b"status=done",
        headers={**admin, "content-type": "application/x-www-form-urlencoded"},
    )
    assert wrong_type.status_code == 415


@pytest.mark.parametrize(
    "path",
    [
        "/api/patient-flow/9223372036854775808/",
        "/api/patient-flow/99999999999999999999999/status/",
        "/api/patient-flow/0/",
        "/api/patient-flow/abc/",
        "/api/patient-flow/-1/",
    ],
)
def test_bad_path_ids_are_404(path: str, api: TestClient, admin: Headers) -> None:
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        response = api.request(method, path, json={"status": "waiting"}, headers=admin)
        assert response.status_code in (404, 405), (method, response.text)
        if not path.endswith("/status/"):
            assert response.status_code == 404


# --- done lock, delete, references ---------------------------------------------------------


def test_done_flows_are_read_only_for_every_role(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    walk_to(api, admin, flow["id"], "done")
    before = len(audit_rows(db))
    for headers in (
        admin,
        users.headers(users.create("assistant")),
        users.headers(flows.op.surgeon),
    ):
        path = f"/api/patient-flow/{flow['id']}/"
        link = {"appointment_id": flows.appointment["id"]}
        assert api.put(path, json=link, headers=headers).status_code == 403
        assert api.patch(path, json={"notes": "x"}, headers=headers).status_code == 403
        # The done lock comes before any field validation (05 §6 check order).
        assert api.patch(path, json={"status": "lunch"}, headers=headers).status_code == 403
        assert (
            api.patch(f"{path}status/", json={"status": "done"}, headers=headers).status_code == 403
        )
        assert api.delete(path, headers=headers).status_code == 403
        assert api.get(path, headers=headers).status_code == 200
    assert [r.action for r in audit_rows(db)[before:]] == ["patient_flow_view"] * 3
    assert len(events(db, flow["id"])) == 6


def test_delete_removes_the_flow_and_its_events(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    flow = create_flow(api, admin, operation_id=flows.operation["id"])
    set_status(api, admin, flow["id"], "waiting")
    response = api.delete(f"/api/patient-flow/{flow['id']}/", headers=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert events(db, flow["id"]) == []
    row = audit_rows(db)[-1]
    assert (row.action, row.patient_id, row.meta) == (
        "patient_flow_delete",
        flows.op.patient_id,
        {"flow_id": flow["id"]},
    )
    assert api.get(f"/api/patient-flow/{flow['id']}/", headers=admin).status_code == 404
    assert api.delete(f"/api/patient-flow/{flow['id']}/", headers=admin).status_code == 404
    # The operation is free again.
    assert api.delete(f"/api/operations/{flows.operation['id']}/", headers=admin).status_code == 204


@pytest.mark.parametrize("finished", [False, True])
def test_referenced_appointment_and_operation_cannot_be_deleted(
    finished: bool, api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    """03 §6.5 / 04 §2.5 (D-OP-15, D-PF-09) — also for a done flow: the flow is history."""
    appointment_flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
    operation_flow = create_flow(api, admin, operation_id=flows.operation["id"])
    if finished:
        walk_to(api, admin, appointment_flow["id"], "done")
        walk_to(api, admin, operation_flow["id"], "done")
    appointment = api.delete(f"/api/appointments/{flows.appointment['id']}/", headers=admin)
    assert (appointment.status_code, appointment.json()) == (
        409,
        {"detail": "Appointment is referenced by patient flow entries."},
    )
    operation = api.delete(f"/api/operations/{flows.operation['id']}/", headers=admin)
    assert (operation.status_code, operation.json()) == (
        409,
        {"detail": "Operation is referenced by patient flow entries."},
    )
    assert (
        api.get(f"/api/appointments/{flows.appointment['id']}/", headers=admin).status_code == 200
    )
    assert api.get(f"/api/operations/{flows.operation['id']}/", headers=admin).status_code == 200
    got = api.get(f"/api/patient-flow/{appointment_flow['id']}/", headers=admin).json()
    assert got["appointment"]["id"] == flows.appointment["id"]
    # An unreferenced appointment still deletes.
    other = api.delete(f"/api/appointments/{flows.other_appointment['id']}/", headers=admin)
    assert other.status_code == 204


# --- live, date filter, live events --------------------------------------------------------


def test_live_lists_unfinished_flows_of_every_day_and_audits_live(
    api: TestClient, admin: Headers, flows: FlowPractice, db: sessionmaker[Session]
) -> None:
    set_now(api, clock(8, 0, date(2027, 1, 15)))
    yesterday = create_flow(api, admin, appointment_id=flows.other_appointment["id"])
    set_now(api, clock(8))
    done = create_flow(api, admin, appointment_id=flows.appointment["id"])
    walk_to(api, admin, done["id"], "done")
    today = create_flow(api, admin, operation_id=flows.operation["id"])
    before = len(audit_rows(db))
    live = api.get("/api/patient-flow/live/", headers=admin)
    assert [f["id"] for f in live.json()] == [today["id"], yesterday["id"]]
    row = audit_rows(db)[before]
    assert (row.action, row.meta, row.patient_id) == ("patient_flow_view", {"live": True}, None)
    # D-PF-10: the day of arrival_time (else status_changed_at), practice-local.
    on_day = api.get("/api/patient-flow/?date=2027-01-18", headers=admin).json()
    assert {f["id"] for f in on_day} == {done["id"], today["id"]}
    live_day = api.get("/api/patient-flow/live/?date=2027-01-15", headers=admin).json()
    assert [f["id"] for f in live_day] == [yesterday["id"]]
    assert api.get("/api/patient-flow/?date=2027-01-16", headers=admin).json() == []
    assert len(api.get("/api/patient-flow/?date=", headers=admin).json()) == 3
    no_arrival = create_flow(api, admin, appointment_id=flows.appointment["id"], arrival_time=None)
    assert no_arrival["id"] in {
        f["id"] for f in api.get("/api/patient-flow/?date=2027-01-18", headers=admin).json()
    }
    # Local day boundaries: 23:30 UTC on the 17th is 00:30 on the 18th in Berlin.
    late = api.patch(
        f"/api/patient-flow/{no_arrival['id']}/",
        json={"arrival_time": "2027-01-17T23:30:00Z"},
        headers=admin,
    )
    assert late.status_code == 200
    assert no_arrival["id"] in {
        f["id"] for f in api.get("/api/patient-flow/?date=2027-01-18", headers=admin).json()
    }


@pytest.mark.parametrize(
    "value", ["2027-1-18", "18.01.2027", "2027-02-30", "x", "2027-01-18T00:00", "\u0000"]
)
def test_invalid_date_parameter(value: str, api: TestClient, admin: Headers) -> None:
    for path in ("/api/patient-flow/", "/api/patient-flow/live/"):
        response = api.get(path, params={"date": value}, headers=admin)
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "Date must be in format YYYY-MM-DD."},
        )


@pytest.mark.parametrize("value", ["1900-01-01", "9000-12-31"])
def test_dates_at_the_ends_of_the_supported_range(
    value: str, api: TestClient, admin: Headers
) -> None:
    assert api.get(f"/api/patient-flow/?date={value}", headers=admin).json() == []
    assert api.get(f"/api/patient-flow/live/?date={value}", headers=admin).json() == []


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9001-01-01", "9999-12-31"])
def test_dates_outside_the_supported_range_are_format_errors(
    value: str, api: TestClient, admin: Headers
) -> None:
    """``timefmt.parse_date`` accepts the years 1900–9000 only (never an overflow 500)."""
    for path in ("/api/patient-flow/", "/api/patient-flow/live/"):
        response = api.get(path, params={"date": value}, headers=admin)
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "Date must be in format YYYY-MM-DD."},
        )


def test_extreme_arrival_times_never_500(
    api: TestClient, admin: Headers, flows: FlowPractice
) -> None:
    for value in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59"):
        response = api.post(
            "/api/patient-flow/",
            json={"appointment_id": flows.appointment["id"], "arrival_time": value},
            headers=admin,
        )
        assert response.status_code in (201, 400), response.text
        if response.status_code == 201:
            assert api.get("/api/patient-flow/", headers=admin).status_code == 200
            assert (
                api.delete(f"/api/patient-flow/{response.json()['id']}/", headers=admin).status_code
                == 204
            )


def test_writes_publish_patient_flow_events(
    api: TestClient, admin: Headers, flows: FlowPractice, database_url: str
) -> None:
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as listener:
        listener.execute("LISTEN praxi_events")
        flow = create_flow(api, admin, appointment_id=flows.appointment["id"])
        set_status(api, admin, flow["id"], "registered")  # no-op: nothing published
        set_status(api, admin, flow["id"], "waiting")
        api.patch(f"/api/patient-flow/{flow['id']}/", json={"notes": "n"}, headers=admin)
        _post_400(api, admin, {"appointment_id": flows.appointment["id"]})  # rule 7
        api.delete(f"/api/patient-flow/{flow['id']}/", headers=admin)
        received = [json.loads(note.payload) for note in listener.notifies(timeout=2, stop_after=4)]
    assert [(e["entity"], e["id"], e["action"]) for e in received] == [
        ("patient_flow", flow["id"], "created"),
        ("patient_flow", flow["id"], "updated"),
        ("patient_flow", flow["id"], "updated"),
        ("patient_flow", flow["id"], "deleted"),
    ]


# --- §11 deviation register ----------------------------------------------------------------


def test_deviation_register(
    api: TestClient, admin: Headers, flows: FlowPractice, users: Users, db: sessionmaker[Session]
) -> None:
    """One check per D-PF entry of 05 §11 (the detailed tests above cover each in depth)."""
    doctor = users.headers(flows.op.surgeon)
    # D-PF-05: omitted arrival_time = creation time. D-PF-13: create is audited.
    flow = create_flow(api, doctor, appointment_id=flows.appointment["id"], notes="n")
    assert flow["arrival_time"] == flow["status_changed_at"]
    assert audit_rows(db)[-1].action == "patient_flow_create"
    # D-PF-01: the event table and status_timestamps.
    assert flow["status_timestamps"] == {"registered": flow["status_changed_at"]}
    assert len(events(db, flow["id"])) == 1
    # D-PF-11: the detail update answers with the full read representation.
    updated = api.put(
        f"/api/patient-flow/{flow['id']}/",
        json={"appointment_id": flows.appointment["id"], "notes": "m"},
        headers=doctor,
    ).json()
    assert set(updated) == set(flow)
    # D-PF-06: a notes edit does not refresh status_changed_at.
    assert updated["status_changed_at"] == flow["status_changed_at"]
    # D-PF-12: the status endpoint needs a status.
    path = f"/api/patient-flow/{flow['id']}/status/"
    assert api.patch(path, json={}, headers=doctor).status_code == 400
    # D-PF-02, D-PF-03, D-PF-07, D-PF-14: 400s.
    for body in (
        {"appointment_id": flows.appointment["id"], "operation_id": flows.operation["id"]},
        {"operation_id": flows.operation["id"], "status": "done"},
        {"appointment_id": flows.appointment["id"]},
        {"appointment_id": flows.cancelled_appointment["id"]},
    ):
        assert api.post("/api/patient-flow/", json=body, headers=doctor).status_code == 400
    # D-PF-08: no foreign links for doctors.
    foreign = {"appointment_id": flows.other_appointment["id"]}
    assert api.post("/api/patient-flow/", json=foreign, headers=doctor).status_code == 403
    # D-PF-10: the date filter.
    assert api.get("/api/patient-flow/?date=2027-01-19", headers=doctor).json() == []
    # D-PF-15: PUT takes the link from the payload alone.
    assert api.put(f"/api/patient-flow/{flow['id']}/", json={}, headers=doctor).status_code == 400
    # D-PF-04: a done flow is read-only, also for its doctor (original: DELETE succeeded).
    walk_to(api, doctor, flow["id"], "done")
    assert api.delete(f"/api/patient-flow/{flow['id']}/", headers=doctor).status_code == 403
    # D-PF-09: the appointment of a done flow cannot be deleted.
    assert (
        api.delete(f"/api/appointments/{flows.appointment['id']}/", headers=admin).status_code
        == 409
    )
    # D-PF-13: delete is audited.
    other = create_flow(api, admin, operation_id=flows.other_operation["id"])
    assert api.delete(f"/api/patient-flow/{other['id']}/", headers=admin).status_code == 204
    assert audit_rows(db)[-1].action == "patient_flow_delete"
