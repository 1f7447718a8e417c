"""Resource calendar (spec 04 §5.9, D-OP-16, D-OP-19, D-OP-20, §6, §9 scenario 9;
rbac-operations-flow §2.6, §3, §5)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.master_data.models import AppointmentType, Resource
from server.users.models import User
from server.working_hours.models import DoctorAbsence, DoctorBreak
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_op_dashboard import (
    add_type,
    audit_rows,
    count_statements,
    insert_op,
    local,
    set_now,
)
from tests.server.test_operations import BERLIN, MONDAY, NOW, OpPractice, at, build_op_practice

Headers = dict[str, str]
DASH = " \u2013 "


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


def add_appointment(
    db: sessionmaker[Session],
    doctor: User,
    start: datetime,
    minutes: int = 30,
    *,
    resources: tuple[int, ...] = (),
    type_id: int | None = None,
    status: str = "scheduled",
) -> int:
    with db() as session, session.begin():
        row = Appointment(
            patient_id=1007,
            doctor_id=doctor.id,
            type_id=type_id,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
            notes="",
        )
        session.add(row)
        session.flush()
        session.add_all(
            AppointmentResource(appointment_id=row.id, resource_id=r) for r in resources
        )
        return row.id


def add_appointment_type(db: sessionmaker[Session], name: str, color: str | None) -> int:
    with db() as session, session.begin():
        kind = AppointmentType(name=name, color=color, duration_minutes=30)
        session.add(kind)
        session.flush()
        if color is None:  # the column default would apply otherwise
            session.execute(
                update(AppointmentType).where(AppointmentType.id == kind.id).values(color=None)
            )
        return kind.id


def add_absence(
    db: sessionmaker[Session],
    doctor: User,
    first: date,
    last: date,
    reason: str | None,
    *,
    active: bool = True,
) -> int:
    with db() as session, session.begin():
        row = DoctorAbsence(
            doctor_id=doctor.id, start_date=first, end_date=last, reason=reason, active=active
        )
        session.add(row)
        session.flush()
        return row.id


def add_break(
    db: sessionmaker[Session],
    doctor: User | None,
    day: date,
    start: time,
    end: time,
    *,
    active: bool = True,
) -> int:
    with db() as session, session.begin():
        row = DoctorBreak(
            doctor_id=doctor.id if doctor else None,
            date=day,
            start_time=start,
            end_time=end,
            reason="x",
            active=active,
        )
        session.add(row)
        session.flush()
        return row.id


def calendar(api: TestClient, headers: Headers, ids: str, day: date = MONDAY) -> Any:
    response = api.get(f"/api/resource-calendar/?date={day}&resource_ids={ids}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def kinds(column: dict[str, Any]) -> list[tuple[str, int]]:
    return [(b["kind"], b["id"]) for b in column["bookings"]]


# --- §9 scenario 9: test_resource_calendar --------------------------------------------------


def test_reference_example(
    api: TestClient,
    admin: Headers,
    users: Users,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    doctor = users.create("doctor", "dr.rc", first_name="Dr", last_name="RC")
    consult = add_appointment_type(db, "Sprechstunde", "#ABCDEF")
    op_type = add_type(db, "RC-OP", (0, 60, 0), "#8A2BE2")
    appointment = add_appointment(
        db, doctor, local(10), resources=(practice.room_id,), type_id=consult
    )
    operation = insert_op(db, practice, local(11), surgeon=doctor.id, type_id=op_type)
    body = calendar(api, admin, f"{practice.room_id},{practice.other_room_id}")
    assert [c["resource"]["id"] for c in body] == [practice.room_id, practice.other_room_id]
    assert list(body[0]) == ["resource", "bookings"]
    assert list(body[0]["resource"]) == [
        "id",
        "name",
        "type",
        "color",
        "active",
        "created_at",
        "updated_at",
    ]
    assert body[0]["bookings"] == [
        {
            "kind": "appointment",
            "id": appointment,
            "start_time": at(10),
            "end_time": at(10, 30),
            "color": "#ABCDEF",
            "label": f"Sprechstunde{DASH}Dr RC",
            "status": None,
            "cancelled": False,
        },
        {
            "kind": "operation",
            "id": operation,
            "start_time": at(11),
            "end_time": at(12),
            "color": "#8A2BE2",
            "label": f"RC-OP{DASH}Dr RC",
            "status": "planned",
            "progress": 0.0,
            "cancelled": False,
        },
    ]
    assert list(body[0]["bookings"][1]) == [
        "kind",
        "id",
        "start_time",
        "end_time",
        "color",
        "label",
        "status",
        "progress",
        "cancelled",
    ]
    assert body[1]["bookings"] == []


# --- bookings --------------------------------------------------------------------------------


def test_absences_and_breaks_are_copied_into_every_column(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    absence = add_absence(db, practice.surgeon, MONDAY - timedelta(days=2), MONDAY, "Urlaub")
    add_absence(db, practice.other_surgeon, MONDAY, MONDAY, None, active=False)
    unnamed = add_absence(db, practice.other_surgeon, MONDAY, MONDAY + timedelta(days=3), None)
    common = add_break(db, None, MONDAY, time(12), time(12, 30))
    own = add_break(db, practice.anesthesist, MONDAY, time(9), time(9, 15))
    add_break(db, practice.anesthesist, MONDAY, time(15), time(16), active=False)
    add_break(db, None, MONDAY + timedelta(days=1), time(12), time(13))
    body = calendar(api, admin, f"{practice.device_id},{practice.room_id}")
    assert [c["resource"]["id"] for c in body] == [practice.device_id, practice.room_id]
    expected = [("absence", absence), ("absence", unnamed), ("break", own), ("break", common)]
    assert [kinds(c) for c in body] == [expected, expected]
    by_id = {(b["kind"], b["id"]): b for b in body[0]["bookings"]}
    assert by_id["absence", absence] == {
        "kind": "absence",
        "id": absence,
        "start_time": "2027-01-18T00:00:00+01:00",
        "end_time": "2027-01-18T23:59:59.999999+01:00",
        "color": "#FF4500",
        "label": f"Urlaub{DASH}Anna Berg",
        "status": None,
        "cancelled": False,
        "doctor_id": practice.surgeon.id,
    }
    assert by_id["absence", unnamed]["label"] == f"Abwesenheit{DASH}Jonas Keller"
    assert by_id["break", common] == {
        "kind": "break",
        "id": common,
        "start_time": at(12),
        "end_time": at(12, 30),
        "color": "#FFD700",
        "label": "Pause",
        "status": None,
        "cancelled": False,
        "doctor_id": None,
    }
    assert by_id["break", own]["label"] == f"Pause{DASH}Nina Narkose"
    assert by_id["break", own]["doctor_id"] == practice.anesthesist.id
    assert "progress" not in by_id["break", own]


def test_operations_by_room_or_device_with_status_mapping(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    running = insert_op(
        db, practice, local(10), 60, status="running", devices=(practice.device_id,)
    )
    confirmed = insert_op(
        db,
        practice,
        local(12),
        status="confirmed",
        room=practice.other_room_id,
        devices=(practice.device_id,),
    )
    done = insert_op(db, practice, local(7), status="done")
    cancelled = insert_op(db, practice, local(14), status="cancelled")
    insert_op(db, practice, local(10, 0, MONDAY + timedelta(days=1)))  # another day
    set_now(api, local(10, 15))
    room, device = calendar(api, admin, f"{practice.room_id},{practice.device_id}")
    assert kinds(room) == [("operation", done), ("operation", running), ("operation", cancelled)]
    assert kinds(device) == [("operation", running), ("operation", confirmed)]
    bookings = {b["id"]: b for b in room["bookings"] + device["bookings"]}
    assert [
        (bookings[i]["status"], bookings[i]["progress"], bookings[i]["cancelled"])
        for i in (running, confirmed, done, cancelled)
    ] == [
        ("running", 0.25, False),
        ("planned", 0.0, False),
        (None, 0.0, False),
        (None, 0.0, True),
    ]


def test_appointments_all_statuses_colour_and_label_fallbacks(
    api: TestClient,
    admin: Headers,
    users: Users,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    doctor = users.create(
        "doctor", "dr.farbe", first_name="", last_name="", calendar_color="#654321"
    )
    colourless = add_appointment_type(db, "Ohne Farbe", None)
    plain = add_appointment(db, doctor, local(8), resources=(practice.room_id,))
    typed = add_appointment(
        db, doctor, local(9), resources=(practice.room_id,), type_id=colourless, status="cancelled"
    )
    add_appointment(db, doctor, local(9), resources=(practice.other_room_id,))
    (column,) = calendar(api, admin, str(practice.room_id))
    assert [
        (b["id"], b["color"], b["label"], b["status"], b["cancelled"]) for b in column["bookings"]
    ] == [
        (plain, "#654321", f"Termin{DASH}dr.farbe", None, False),
        (typed, "#654321", f"Ohne Farbe{DASH}dr.farbe", None, True),
    ]
    assert "progress" not in column["bookings"][0]
    assert "doctor_id" not in column["bookings"][0]


def test_ordering_start_end_kind_id(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    short_break = add_break(db, None, MONDAY, time(10), time(10, 30))
    long_appointment = add_appointment(
        db, practice.surgeon, local(10), 60, resources=(practice.room_id,)
    )
    same_appointment = add_appointment(
        db, practice.other_surgeon, local(10), 30, resources=(practice.room_id,)
    )
    operation = insert_op(db, practice, local(10), 30, surgeon=practice.anesthesist.id)
    add_absence(db, practice.surgeon, MONDAY, MONDAY, "Kongress")
    (column,) = calendar(api, admin, str(practice.room_id))
    assert kinds(column)[1:] == [
        ("appointment", same_appointment),
        ("break", short_break),
        ("operation", operation),
        ("appointment", long_appointment),
    ]
    assert column["bookings"][0]["kind"] == "absence"


# --- columns and parameters ------------------------------------------------------------------


def test_columns_in_requested_order_unknown_and_inactive_dropped(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.execute(
            update(Resource).where(Resource.id == practice.other_device_id).values(active=False)
        )
    ids = (
        f" {practice.other_room_id}, ,999999,{practice.room_id},{practice.other_room_id},"
        f"{practice.other_device_id}"
    )
    body = calendar(api, admin, ids)
    assert [c["resource"]["id"] for c in body] == [practice.other_room_id, practice.room_id]
    row = audit_rows(db)[-1]
    assert (row.action, row.meta) == (
        "resource_calendar_view",
        {
            "date": MONDAY.isoformat(),
            "resource_ids": [
                practice.other_room_id,
                999999,
                practice.room_id,
                practice.other_device_id,
            ],
        },
    )
    assert calendar(api, admin, f"999999,{practice.other_device_id}") == []
    assert audit_rows(db)[-1].meta == {"date": MONDAY.isoformat()}


def test_parameter_errors_in_order(
    api: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    for query, detail in [
        ("resource_ids=1", "Provide ?date=YYYY-MM-DD."),
        ("date=&resource_ids=1", "Provide ?date=YYYY-MM-DD."),
        ("date=2027-1-18&resource_ids=x", "Date must be in format YYYY-MM-DD."),
        (f"date={MONDAY}", "Provide resource_ids as comma-separated list."),
        (f"date={MONDAY}&resource_ids=", "Provide resource_ids as comma-separated list."),
        (f"date={MONDAY}&resource_ids=1,a", "resource_ids must be integers."),
        (f"date={MONDAY}&resource_ids=1.5", "resource_ids must be integers."),
        (f"date={MONDAY}&resource_ids=%00", "resource_ids must be integers."),
        (f"date={MONDAY}&resource_ids=,,", "resource_ids cannot be empty."),
        (f"date={MONDAY}&resource_ids=0", "Ensure this value is greater than or equal to 1."),
        (
            f"date={MONDAY}&resource_ids=1,{2**63}",
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        (f"date={MONDAY}&resource_ids={'9' * 40}", "resource_ids must be integers."),
    ]:
        response = api.get(f"/api/resource-calendar/?{query}", headers=admin)
        assert response.status_code == 400, query
        assert response.json() == {"detail": detail}, query
    assert audit_rows(db) == []


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-31"])
def test_edge_dates(api: TestClient, admin: Headers, practice: OpPractice, day: str) -> None:
    response = api.get(
        f"/api/resource-calendar/?date={day}&resource_ids={practice.room_id}", headers=admin
    )
    assert response.status_code == 200
    assert response.json()[0]["bookings"] == []


def test_dst_day_break_times(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    summer = date(2027, 3, 28)  # clocks go forward at 02:00
    add_break(db, None, summer, time(9), time(9, 30))
    absence = add_absence(db, practice.surgeon, summer, summer, "Urlaub")
    (column,) = calendar(api, admin, str(practice.room_id), summer)
    assert [(b["start_time"], b["end_time"]) for b in column["bookings"]] == [
        ("2027-03-28T00:00:00+01:00", "2027-03-28T23:59:59.999999+02:00"),
        ("2027-03-28T09:00:00+02:00", "2027-03-28T09:30:00+02:00"),
    ]
    assert column["bookings"][0]["id"] == absence
    assert datetime.fromisoformat(column["bookings"][1]["start_time"]) == datetime(
        2027, 3, 28, 9, tzinfo=BERLIN
    )


# --- doctors (04 §6, rbac §3) ---------------------------------------------------------------


def test_doctor_visibility(
    api: TestClient, users: Users, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    me = practice.anesthesist
    own_appointment = add_appointment(db, me, local(8), resources=(practice.room_id,))
    add_appointment(db, practice.surgeon, local(8, 30), resources=(practice.room_id,))
    team_op = insert_op(db, practice, local(10), assistant=me.id)
    insert_op(db, practice, local(12), surgeon=practice.other_surgeon.id)
    own_absence = add_absence(db, me, MONDAY, MONDAY, None)
    add_absence(db, practice.surgeon, MONDAY, MONDAY, None)
    common = add_break(db, None, MONDAY, time(13), time(13, 30))
    own_break = add_break(db, me, MONDAY, time(14), time(14, 30))
    add_break(db, practice.surgeon, MONDAY, time(15), time(15, 30))
    room, empty = calendar(api, users.headers(me), f"{practice.room_id},{practice.other_room_id}")
    assert kinds(room) == [
        ("absence", own_absence),
        ("appointment", own_appointment),
        ("operation", team_op),
        ("break", common),
        ("break", own_break),
    ]
    assert kinds(empty) == [("absence", own_absence), ("break", common), ("break", own_break)]


def test_resources_list(
    api: TestClient,
    admin: Headers,
    users: Users,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    with db() as session, session.begin():
        extra = Resource(name="Aaa-Raum", type="room")
        closed = Resource(name="Alt", type="room", active=False)
        session.add_all([extra, closed])
        session.flush()
        extra_id, closed_id = extra.id, closed.id
    body = api.get("/api/resource-calendar/resources/", headers=admin).json()
    assert [(r["type"], r["name"]) for r in body] == [
        ("device", "Arthroskop"),
        ("device", "C-Bogen"),
        ("room", "Aaa-Raum"),
        ("room", "OP 1"),
        ("room", "OP 2"),
    ]
    assert list(body[0]) == ["id", "name", "type", "color", "active", "created_at", "updated_at"]
    assert audit_rows(db)[-1].meta == {"resources": True}
    assert audit_rows(db)[-1].action == "resource_calendar_view"
    # A doctor: resources of own appointments (all time), rooms and devices of team ops.
    me = practice.anesthesist
    add_appointment(db, me, local(8, 0, date(2020, 1, 6)), resources=(extra_id,))
    add_appointment(db, me, local(9, 0, date(2020, 1, 6)), resources=(closed_id,))
    add_appointment(db, practice.surgeon, local(8), resources=(practice.other_device_id,))
    insert_op(
        db,
        practice,
        local(10),
        anesthesist=me.id,
        room=practice.other_room_id,
        devices=(practice.device_id,),
    )
    insert_op(db, practice, local(12))
    mine = api.get("/api/resource-calendar/resources/", headers=users.headers(me)).json()
    assert [r["id"] for r in mine] == [practice.device_id, extra_id, practice.other_room_id]
    nothing = api.get(
        "/api/resource-calendar/resources/", headers=users.headers(users.create("doctor"))
    ).json()
    assert nothing == []


# --- roles (rbac §2.6, §5) ------------------------------------------------------------------


def test_read_roles(
    api: TestClient, as_role: Callable[[str | None], Headers], practice: OpPractice
) -> None:
    for path in (
        "/api/resource-calendar/resources/",
        f"/api/resource-calendar/?date={MONDAY}&resource_ids={practice.room_id}",
    ):
        for role in ("admin", "assistant", "doctor", "billing"):
            assert api.get(path, headers=as_role(role)).status_code == 200, (path, role)
        for role in ("nurse", None):
            assert api.get(path, headers=as_role(role)).status_code == 403, (path, role)
        assert api.get(path).status_code == 401
    assert api.get("/api/resource-calendar/", headers=as_role("nurse")).status_code == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unsafe_methods_are_403_for_everyone(
    method: str, api: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    for path in ("/api/resource-calendar/", "/api/resource-calendar/resources/"):
        for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
            assert api.request(method, path, headers=as_role(role)).status_code == 403
        assert api.request(method, path).status_code == 401


def test_bounded_number_of_queries(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    for hour in range(7, 17):
        insert_op(db, practice, local(hour), 30, devices=(practice.device_id,))
        add_appointment(db, practice.other_surgeon, local(hour, 30), resources=(practice.room_id,))
    add_absence(db, practice.anesthesist, MONDAY, MONDAY, None)
    add_break(db, None, MONDAY, time(12), time(13))
    responses: list[Any] = []

    def call() -> None:
        responses.append(
            api.get(
                f"/api/resource-calendar/?date={MONDAY}&resource_ids={practice.room_id},"
                f"{practice.device_id},{practice.other_room_id}",
                headers=admin,
            )
        )

    statements = count_statements(api, call)
    assert [len(c["bookings"]) for c in responses[0].json()] == [22, 12, 2]
    assert len([s for s in statements if "FROM operations" in s]) == 1
    assert len(statements) <= 5
