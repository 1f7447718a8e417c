"""OP dashboard (spec 04 §5.6, §4.4, §6, §7, §9 scenario 9; rbac-operations-flow §2.3, §5).

Also home of the small helpers the OP view tests share (``insert_op``, ``set_now``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.bookings.occupancy import Occupancy
from server.master_data.models import OperationType
from server.operations.models import Operation, OperationDevice
from server.operations.service import sync_occupancy
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_operations import BERLIN, MONDAY, NOW, OpPractice, at, build_op_practice

Headers = dict[str, str]
_patients = itertools.count(5000)


def local(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def insert_op(
    db: sessionmaker[Session],
    practice: OpPractice,
    start: datetime,
    minutes: int = 60,
    *,
    status: str = "planned",
    room: int | None = None,
    surgeon: int | None = None,
    assistant: int | None = None,
    anesthesist: int | None = None,
    devices: tuple[int, ...] = (),
    type_id: int | None = None,
    patient_id: int | None = None,
) -> int:
    """An operation written straight into the database (with its occupancy rows)."""
    with db() as session, session.begin():
        row = Operation(
            patient_id=patient_id or next(_patients),
            primary_surgeon_id=surgeon or practice.surgeon.id,
            assistant_id=assistant,
            anesthesist_id=anesthesist,
            op_room_id=room or practice.room_id,
            op_type_id=type_id or practice.type_id,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
            notes="",
        )
        session.add(row)
        session.flush()
        session.add_all(OperationDevice(operation_id=row.id, resource_id=d) for d in devices)
        sync_occupancy(session, row, devices)
        return row.id


def add_type(
    db: sessionmaker[Session], name: str, minutes: tuple[int, int, int], color: str
) -> int:
    with db() as session, session.begin():
        kind = OperationType(
            name=name,
            prep_duration=minutes[0],
            op_duration=minutes[1],
            post_duration=minutes[2],
            color=color,
        )
        session.add(kind)
        session.flush()
        return kind.id


def set_now(api: TestClient, value: datetime) -> None:
    api.app.state.praxi.settings.test_now = value  # type: ignore[attr-defined]


def audit_rows(db: sessionmaker[Session]) -> list[AuditLog]:
    with db() as session:
        return list(session.scalars(select(AuditLog).order_by(AuditLog.id)))


def count_statements(api: TestClient, call: Callable[[], Any]) -> list[str]:
    engine = api.app.state.praxi.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statements


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


@pytest.fixture
def practice(db: sessionmaker[Session], users: Users) -> OpPractice:
    return build_op_practice(db, users)


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def patch_status(api: TestClient, headers: Headers, op_id: int, status: Any) -> Any:
    return api.patch(f"/api/op-dashboard/{op_id}/status/", json={"status": status}, headers=headers)


# --- §9 scenario 9: test_op_dashboard ------------------------------------------------------


def test_reference_dashboard_list_live_and_status(
    api: TestClient,
    admin: Headers,
    users: Users,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    type_id = add_type(db, "Dashboard-OP", (0, 60, 0), "#123ABC")
    running = insert_op(db, practice, local(10), status="running", type_id=type_id)
    planned = insert_op(db, practice, local(9), status="planned", type_id=type_id)
    set_now(api, local(10, 30))

    body = api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin).json()
    assert body["date"] == MONDAY.isoformat()
    assert [item["id"] for item in body["operations"]] == [planned, running]
    by_id = {item["id"]: item for item in body["operations"]}
    assert by_id[running]["progress"] == 0.5
    assert by_id[planned]["progress"] == 0.0
    assert {item["color"] for item in body["operations"]} == {"#123ABC"}

    live = api.get("/api/op-dashboard/live/", headers=admin).json()
    assert [item["id"] for item in live["operations"]] == [running]

    done = patch_status(api, admin, running, "done")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done"
    assert done.json()["progress"] == 0.0
    last = audit_rows(db)[-1]
    assert last.action == "op_status_update"
    assert last.meta == {"from": "running", "to": "done", "ok": True}

    doctor = users.headers(practice.surgeon)
    assert patch_status(api, doctor, planned, "confirmed").status_code == 403


# --- §9 scenario 9: test_op_dashboard_status_validation -------------------------------------


def test_reference_status_validation(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    type_id = add_type(db, "Std", (0, 60, 0), "#8A2BE2")
    confirmed = insert_op(db, practice, local(10), status="confirmed", type_id=type_id)

    set_now(api, local(9, 50))
    early = patch_status(api, admin, confirmed, "running")
    assert early.status_code == 400
    assert early.json() == {"detail": "running is only allowed when now >= start_time."}
    rows = [r for r in audit_rows(db) if r.action == "op_status_update"]
    assert len(rows) == 1
    assert rows[0].meta == {
        "from": "confirmed",
        "to": "running",
        "ok": False,
        "detail": "running_before_start",
    }

    set_now(api, local(10, 5))
    started = patch_status(api, admin, confirmed, "running")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "running"

    other = insert_op(
        db,
        practice,
        local(10),
        status="confirmed",
        type_id=type_id,
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    set_now(api, local(10, 10))
    skipped = patch_status(api, admin, other, "done")
    assert skipped.status_code == 400
    assert skipped.json() == {
        "detail": "Invalid status transition.",
        "from": "confirmed",
        "to": "done",
    }

    planned = insert_op(
        db, practice, local(12), status="planned", type_id=type_id, surgeon=practice.anesthesist.id
    )
    set_now(api, local(10, 15))
    for op_id in (planned, confirmed):  # planned → cancelled, running → cancelled
        response = patch_status(api, admin, op_id, "cancelled")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "cancelled"


# --- representation (04 §4.4) ----------------------------------------------------------------


def test_item_shape_and_order(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op_id = insert_op(
        db,
        practice,
        local(10),
        50,
        anesthesist=practice.anesthesist.id,
        devices=(practice.device_id, practice.other_device_id),
    )
    response = api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin)
    assert response.status_code == 200
    assert re.search(r'"progress"\s*:\s*0\.0[,}]', response.text)
    item = response.json()["operations"][0]
    assert list(item) == [
        "id",
        "type",
        "room",
        "devices",
        "team",
        "start_time",
        "end_time",
        "status",
        "progress",
        "color",
    ]
    assert item["id"] == op_id
    assert item["type"] == {
        "id": practice.type_id,
        "name": "Standard-OP",
        "color": "#8A2BE2",
        "prep_duration": 10,
        "op_duration": 30,
        "post_duration": 10,
    }
    assert list(item["room"]) == [
        "id",
        "name",
        "type",
        "color",
        "active",
        "created_at",
        "updated_at",
    ]
    assert item["room"]["name"] == "OP 1"
    # devices ordered type, name, id: Arthroskop before C-Bogen
    assert [d["name"] for d in item["devices"]] == ["Arthroskop", "C-Bogen"]
    assert item["team"] == {
        "primary_surgeon": {"id": practice.surgeon.id, "name": "Anna Berg", "color": "#1E90FF"},
        "assistant": None,
        "anesthesist": {"id": practice.anesthesist.id, "name": "Nina Narkose", "color": "#1E90FF"},
    }
    assert item["start_time"] == at(10)
    assert item["end_time"] == at(10, 50)
    assert item["status"] == "planned"
    assert item["color"] == "#8A2BE2"
    assert "patient_id" not in item
    assert "patient_name" not in item


def test_progress_is_clamped_and_only_for_running(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    early = insert_op(db, practice, local(12), status="running")
    late = insert_op(
        db,
        practice,
        local(8),
        status="running",
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    third = insert_op(
        db,
        practice,
        local(10),
        180,
        status="running",
        surgeon=practice.anesthesist.id,
        room=practice.other_room_id,
    )
    set_now(api, local(10, 30))
    response = api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin)
    progress = {item["id"]: item["progress"] for item in response.json()["operations"]}
    assert progress == {late: 1.0, third: 1 / 6, early: 0.0}
    assert re.search(r'"progress"\s*:\s*1\.0[,}]', response.text)


def test_day_selection_is_overlap_in_local_time_all_statuses(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    sunday_night = insert_op(db, practice, local(23, 30, MONDAY - timedelta(days=1)), 60)
    cancelled = insert_op(db, practice, local(10), status="cancelled")
    done = insert_op(db, practice, local(12), status="done")
    insert_op(db, practice, local(0, 0, MONDAY + timedelta(days=1)))  # touches, no overlap
    insert_op(
        db,
        practice,
        local(22, 0, MONDAY - timedelta(days=1)),
        120,
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )  # ends at 00:00
    ops = api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin).json()["operations"]
    assert [item["id"] for item in ops] == [sunday_night, cancelled, done]


def test_date_parameter_errors(api: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    missing = {"detail": "date query parameter is required (YYYY-MM-DD)."}
    malformed = {"detail": "date must be in format YYYY-MM-DD."}
    for query, body in [
        ("", missing),
        ("?date=", missing),
        ("?date=2027-1-18", malformed),
        ("?date=18.01.2027", malformed),
        ("?date=2027-02-30", malformed),
        ("?date=%00", malformed),
    ]:
        response = api.get(f"/api/op-dashboard/{query}", headers=admin)
        assert response.status_code == 400, query
        assert response.json() == body
    assert audit_rows(db) == []


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-31"])
def test_edge_dates_never_500(api: TestClient, admin: Headers, day: str) -> None:
    response = api.get(f"/api/op-dashboard/?date={day}", headers=admin)
    assert response.status_code == 200
    assert response.json() == {"date": day, "operations": []}
    for outside in ("0001-01-01", "9999-12-31"):  # outside the supported calendar (timefmt)
        response = api.get(f"/api/op-dashboard/?date={outside}", headers=admin)
        assert response.status_code == 400
        assert response.json() == {"detail": "date must be in format YYYY-MM-DD."}


def test_audit_of_the_views(api: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin)
    api.get("/api/op-dashboard/live/", headers=admin)
    rows = audit_rows(db)
    assert [(r.action, r.patient_id, r.meta) for r in rows] == [
        ("op_dashboard_view", None, {"date": MONDAY.isoformat()}),
        ("op_dashboard_view", None, {"live": True}),
    ]


def test_live_needs_running_and_started(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    yesterday = insert_op(db, practice, local(10, 0, MONDAY - timedelta(days=1)), status="running")
    insert_op(db, practice, local(11), status="running")  # starts after now
    insert_op(
        db,
        practice,
        local(9),
        status="confirmed",
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    current = insert_op(
        db,
        practice,
        local(8),
        120,
        status="running",
        surgeon=practice.anesthesist.id,
        room=practice.room_id,
    )
    set_now(api, local(10, 30))
    live = api.get("/api/op-dashboard/live/", headers=admin).json()
    assert list(live) == ["operations"]
    assert [item["id"] for item in live["operations"]] == [yesterday, current]


# --- doctor visibility (04 §6) ---------------------------------------------------------------


def test_doctor_sees_only_operations_of_their_team(
    api: TestClient, users: Users, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    as_anesthesist = insert_op(
        db, practice, local(10), status="running", anesthesist=practice.anesthesist.id
    )
    foreign = insert_op(
        db,
        practice,
        local(10),
        status="running",
        surgeon=practice.other_surgeon.id,
        room=practice.other_room_id,
    )
    set_now(api, local(10, 30))
    headers = users.headers(practice.anesthesist)
    listed = api.get(f"/api/op-dashboard/?date={MONDAY}", headers=headers).json()
    assert [item["id"] for item in listed["operations"]] == [as_anesthesist]
    live = api.get("/api/op-dashboard/live/", headers=headers).json()
    assert [item["id"] for item in live["operations"]] == [as_anesthesist]
    other = users.headers(practice.other_surgeon)
    assert [
        i["id"] for i in api.get("/api/op-dashboard/live/", headers=other).json()["operations"]
    ] == [foreign]


# --- status endpoint (04 §5.6.3) -------------------------------------------------------------


def test_status_required_and_invalid_transitions_are_audited(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op_id = insert_op(db, practice, local(10), patient_id=4242)
    cases: list[tuple[Any, dict[str, Any], dict[str, Any]]] = [
        (
            {},
            {"detail": "status is required."},
            {"from": "planned", "to": None, "ok": False, "detail": "status is required"},
        ),
        (
            {"status": None},
            {"detail": "status is required."},
            {"from": "planned", "to": None, "ok": False, "detail": "status is required"},
        ),
        (
            {"status": ""},
            {"detail": "status is required."},
            {"from": "planned", "to": "", "ok": False, "detail": "status is required"},
        ),
        (
            [1, 2],
            {"detail": "status is required."},
            {"from": "planned", "to": None, "ok": False, "detail": "status is required"},
        ),
        (
            {"status": "xyz"},
            {"detail": "Invalid status transition.", "from": "planned", "to": "xyz"},
            {"from": "planned", "to": "xyz", "ok": False, "detail": "invalid_transition"},
        ),
        (
            {"status": "planned"},
            {"detail": "Invalid status transition.", "from": "planned", "to": "planned"},
            {"from": "planned", "to": "planned", "ok": False, "detail": "invalid_transition"},
        ),
        (
            {"status": 5},
            {"detail": "Invalid status transition.", "from": "planned", "to": 5},
            {"from": "planned", "to": 5, "ok": False, "detail": "invalid_transition"},
        ),
        (
            {"status": "running"},
            {"detail": "Invalid status transition.", "from": "planned", "to": "running"},
            {"from": "planned", "to": "running", "ok": False, "detail": "invalid_transition"},
        ),
    ]
    for payload, body, meta in cases:
        response = api.patch(f"/api/op-dashboard/{op_id}/status/", json=payload, headers=admin)
        assert response.status_code == 400, payload
        assert response.json() == body
        row = audit_rows(db)[-1]
        assert (row.action, row.patient_id, row.meta) == ("op_status_update", 4242, meta)
    assert len(audit_rows(db)) == len(cases)
    with db() as session:
        assert session.get(Operation, op_id).status == "planned"  # type: ignore[union-attr]


def test_terminal_statuses_refuse_every_transition(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    done = insert_op(db, practice, local(8), status="done")
    cancelled = insert_op(db, practice, local(10), status="cancelled")
    for op_id, old in ((done, "done"), (cancelled, "cancelled")):
        for new in ("planned", "confirmed", "running", "done", "cancelled"):
            response = patch_status(api, admin, op_id, new)
            assert response.status_code == 400
            assert response.json() == {
                "detail": "Invalid status transition.",
                "from": old,
                "to": new,
            }


def test_unknown_id_is_404_without_audit_and_roles_come_first(
    api: TestClient,
    admin: Headers,
    as_role: Callable[[str | None], Headers],
    db: sessionmaker[Session],
) -> None:
    for path in (
        "/api/op-dashboard/999999/status/",
        "/api/op-dashboard/0/status/",
        f"/api/op-dashboard/{2**63}/status/",
    ):
        response = api.patch(path, json={"status": "done"}, headers=admin)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert (
        api.patch(
            "/api/op-dashboard/999999/status/",
            content=b"{bad",
            headers={**admin, "Content-Type": "application/json"},
        ).status_code
        == 404
    )
    for role in ("doctor", "billing", "nurse", None):
        response = api.patch(
            "/api/op-dashboard/999999/status/", json={"status": "done"}, headers=as_role(role)
        )
        assert response.status_code == 403, role
    assert api.patch("/api/op-dashboard/1/status/", json={}).status_code == 401
    assert audit_rows(db) == []


def test_malformed_bodies_are_400_without_audit(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op_id = insert_op(db, practice, local(10))
    path = f"/api/op-dashboard/{op_id}/status/"
    bad_json = api.patch(
        path, content=b"{bad", headers={**admin, "Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"].startswith("JSON parse error - ")
    form = api.patch(
        path,
        content=b"status=done",
        headers={**admin, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    nul = api.patch(path, json={"status": "run\u0000ning"}, headers=admin)
    assert nul.status_code == 400
    assert nul.json() == {"status": ["Null characters are not allowed."]}
    assert audit_rows(db) == []


def test_success_is_one_write_with_event_and_bumped_updated_at(
    api: TestClient,
    admin: Headers,
    practice: OpPractice,
    db: sessionmaker[Session],
    database_url: str,
) -> None:
    op_id = insert_op(db, practice, local(10), patient_id=777)
    with db() as session:
        before = session.get(Operation, op_id).updated_at  # type: ignore[union-attr]
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as listener:
        listener.execute("LISTEN praxi_events")
        assert patch_status(api, admin, op_id, "planned").status_code == 400  # no event
        response = patch_status(api, admin, op_id, "confirmed")
        assert response.status_code == 200
        events = [json.loads(n.payload) for n in listener.notifies(timeout=1, stop_after=2)]
    assert [(e["entity"], e["id"], e["action"]) for e in events] == [
        ("operation", op_id, "updated")
    ]
    with db() as session:
        row = session.get(Operation, op_id)
        assert row is not None
        assert row.status == "confirmed"
        assert row.updated_at > before
    rows = audit_rows(db)
    assert [(r.action, r.patient_id, r.meta) for r in rows][-1] == (
        "op_status_update",
        777,
        {"from": "planned", "to": "confirmed", "ok": True},
    )


def occupancy(db: sessionmaker[Session], op_id: int) -> list[tuple[str, int]]:
    with db() as session:
        rows = session.execute(
            select(Occupancy.kind, Occupancy.subject_id).where(Occupancy.operation_id == op_id)
        )
        return sorted((kind, subject) for kind, subject in rows)


def test_cancel_releases_occupancy_through_the_api(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    created = api.post(
        "/api/operations/",
        json=practice.body(op_device_ids=[practice.device_id], anesthesist=practice.anesthesist.id),
        headers=admin,
    )
    assert created.status_code == 201, created.text
    op_id = created.json()["id"]
    assert len(occupancy(db, op_id)) == 5  # two doctors, patient, room, device
    confirmed = patch_status(api, admin, op_id, "confirmed")
    assert confirmed.status_code == 200
    assert len(occupancy(db, op_id)) == 5  # other statuses keep it
    response = patch_status(api, admin, op_id, "cancelled")
    assert response.status_code == 200
    assert occupancy(db, op_id) == []
    # The slot is free again: the same booking succeeds.
    again = api.post(
        "/api/operations/",
        json=practice.body(op_device_ids=[practice.device_id], anesthesist=practice.anesthesist.id),
        headers=admin,
    )
    assert again.status_code == 201, again.text


def test_assistant_may_change_status(
    api: TestClient, users: Users, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    op_id = insert_op(db, practice, local(10))
    assistant = users.create("assistant")
    response = patch_status(api, users.headers(assistant), op_id, "cancelled")
    assert response.status_code == 200
    row = audit_rows(db)[-1]
    assert (row.user_id, row.role_name) == (assistant.id, "assistant")


# --- roles and unsupported methods (rbac §2.3, §5) -------------------------------------------


def test_read_roles(api: TestClient, as_role: Callable[[str | None], Headers]) -> None:
    for path in (f"/api/op-dashboard/?date={MONDAY}", "/api/op-dashboard/live/"):
        for role in ("admin", "assistant", "doctor", "billing"):
            assert api.get(path, headers=as_role(role)).status_code == 200, (path, role)
        for role in ("nurse", None):
            assert api.get(path, headers=as_role(role)).status_code == 403, (path, role)
        assert api.get(path).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/api/op-dashboard/", {"admin", "assistant"}),
        ("PUT", "/api/op-dashboard/", {"admin", "assistant"}),
        ("DELETE", "/api/op-dashboard/live/", {"admin", "assistant"}),
        ("PATCH", "/api/op-dashboard/live/", {"admin", "assistant"}),
        ("GET", "/api/op-dashboard/1/status/", {"admin", "assistant", "doctor", "billing"}),
        ("POST", "/api/op-dashboard/1/status/", {"admin", "assistant"}),
        ("PUT", "/api/op-dashboard/1/status/", {"admin", "assistant"}),
        ("DELETE", "/api/op-dashboard/1/status/", {"admin", "assistant"}),
    ],
)
def test_unsupported_methods(
    method: str,
    path: str,
    allowed: set[str],
    api: TestClient,
    as_role: Callable[[str | None], Headers],
) -> None:
    for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
        response = api.request(method, path, headers=as_role(role))
        expected = 405 if role in allowed else 403
        assert response.status_code == expected, (role, response.text)
        if expected == 405:
            assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    assert api.request(method, path).status_code == 401


def test_bounded_number_of_queries(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    for hour in range(8, 16):
        insert_op(
            db,
            practice,
            local(hour),
            anesthesist=practice.anesthesist.id,
            devices=(practice.device_id,),
        )
    response: list[Any] = []
    statements = count_statements(
        api, lambda: response.append(api.get(f"/api/op-dashboard/?date={MONDAY}", headers=admin))
    )
    assert len(response[0].json()["operations"]) == 8
    assert len([s for s in statements if "FROM operations" in s]) == 1
    assert len(statements) <= 6
