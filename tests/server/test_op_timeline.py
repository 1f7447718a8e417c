"""OP timeline (spec 04 §5.7, §4.5, D-OP-12, §6, §9 scenario 9; rbac-operations-flow §2.4, §5)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import Resource
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
from tests.server.test_operations import MONDAY, NOW, OpPractice, at, build_op_practice

Headers = dict[str, str]


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


def add_room(db: sessionmaker[Session], name: str, *, active: bool = True) -> int:
    with db() as session, session.begin():
        room = Resource(name=name, type="room", color="#010203", active=active)
        session.add(room)
        session.flush()
        return room.id


def ids(groups: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    return [(g["room"]["name"], [op["id"] for op in g["operations"]]) for g in groups]


# --- §9 scenario 9: test_op_timeline ---------------------------------------------------------


def test_reference_live_selection(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    type_id = add_type(db, "Timeline-OP", (0, 60, 0), "#8A2BE2")
    running = insert_op(db, practice, local(10), status="running", type_id=type_id)
    insert_op(
        db,
        practice,
        local(9),
        status="confirmed",
        type_id=type_id,
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    insert_op(db, practice, local(12), status="planned", type_id=type_id)
    set_now(api, local(10, 30))
    response = api.get("/api/op-timeline/live/", headers=admin)
    assert response.status_code == 200
    assert ids(response.json()) == [("OP 1", [running])]
    assert response.json()[0]["operations"][0]["progress"] == 0.5


def test_reference_rooms_example(
    api: TestClient,
    users: Users,
    admin: Headers,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    type_id = add_type(db, "Timeline-OP", (0, 60, 0), "#8A2BE2")
    op_id = insert_op(db, practice, local(10), status="running", type_id=type_id)
    set_now(api, local(10, 30))
    response = api.get(f"/api/op-timeline/rooms/?date={MONDAY}", headers=admin)
    assert response.status_code == 200
    assert response.json() == [
        {
            "room": {"id": practice.room_id, "name": "OP 1", "color": "#6A5ACD"},
            "operations": [
                {
                    "id": op_id,
                    "type": {"id": type_id, "name": "Timeline-OP", "color": "#8A2BE2"},
                    "team": {
                        "primary_surgeon": {
                            "id": practice.surgeon.id,
                            "name": "Anna Berg",
                            "color": "#1E90FF",
                        },
                        "assistant": None,
                        "anesthesist": None,
                    },
                    "start_time": at(10),
                    "end_time": at(11),
                    "status": "running",
                    "progress": 0.5,
                    "color": "#8A2BE2",
                }
            ],
        },
        {
            "room": {"id": practice.other_room_id, "name": "OP 2", "color": "#6A5ACD"},
            "operations": [],
        },
    ]
    item = response.json()[0]["operations"][0]
    assert list(item) == [
        "id",
        "type",
        "team",
        "start_time",
        "end_time",
        "status",
        "progress",
        "color",
    ]
    assert list(response.json()[0]) == ["room", "operations"]
    # /op-timeline/ leaves the empty room out
    plain = api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin).json()
    assert plain == response.json()[:1]


# --- /op-timeline/?date= ---------------------------------------------------------------------


def test_selection_is_by_start_day_with_all_statuses(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(23, 30, MONDAY - timedelta(days=1)))  # crosses into Monday
    cancelled = insert_op(db, practice, local(8), status="cancelled")
    done = insert_op(db, practice, local(9), status="done")
    late = insert_op(db, practice, local(23, 30), 60)  # crosses into Tuesday: shown on Monday
    groups = api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin).json()
    assert ids(groups) == [("OP 1", [cancelled, done, late])]
    tuesday = api.get(f"/api/op-timeline/?date={MONDAY + timedelta(days=1)}", headers=admin)
    assert tuesday.json() == []


def test_groups_ordered_by_room_name_then_id_inactive_included(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    a_first = add_room(db, "A-Saal")
    twin = add_room(db, "A-Saal")
    closed = add_room(db, "Z-Alt", active=False)
    ops = {
        room: insert_op(db, practice, local(8 + index), room=room)
        for index, room in enumerate([practice.other_room_id, twin, a_first, closed])
    }
    second = insert_op(db, practice, local(7), room=twin)
    groups = api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin).json()
    assert [(g["room"]["id"], [o["id"] for o in g["operations"]]) for g in groups] == [
        (a_first, [ops[a_first]]),
        (twin, [second, ops[twin]]),
        (practice.other_room_id, [ops[practice.other_room_id]]),
        (closed, [ops[closed]]),
    ]
    rooms = api.get(f"/api/op-timeline/rooms/?date={MONDAY}", headers=admin).json()
    assert [g["room"]["id"] for g in rooms] == [
        a_first,
        twin,
        practice.room_id,
        practice.other_room_id,
    ]


def test_progress_values_are_floats(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(8), status="running")
    insert_op(db, practice, local(12), status="planned")
    set_now(api, local(10))
    response = api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin)
    assert [o["progress"] for o in response.json()[0]["operations"]] == [1.0, 0.0]
    assert re.search(r'"progress"\s*:\s*1\.0[,}]', response.text)
    assert re.search(r'"progress"\s*:\s*0\.0[,}]', response.text)


# --- /live/ (D-OP-12) ------------------------------------------------------------------------


def test_live_keeps_running_and_recent_confirmed(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    old_running = insert_op(
        db, practice, local(10, 0, MONDAY - timedelta(days=1)), status="running"
    )
    future_running = insert_op(db, practice, local(20), status="running")
    recent = insert_op(db, practice, local(10), status="confirmed")  # now − 30 min exactly
    insert_op(
        db,
        practice,
        local(9, 59),
        1,
        status="confirmed",
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    tonight = insert_op(db, practice, local(23, 0), 30, status="confirmed")
    insert_op(db, practice, local(0, 0, MONDAY + timedelta(days=1)), status="confirmed")
    insert_op(db, practice, local(14), status="planned")
    insert_op(db, practice, local(15), status="done")
    set_now(api, local(10, 30))
    groups = api.get("/api/op-timeline/live/", headers=admin).json()
    assert ids(groups) == [("OP 1", [old_running, recent, future_running, tonight])]


# --- doctors (04 §6) ------------------------------------------------------------------------


def test_doctor_sees_own_operations_and_every_active_room(
    api: TestClient, users: Users, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    own = insert_op(db, practice, local(10), status="running", assistant=practice.anesthesist.id)
    insert_op(
        db,
        practice,
        local(10),
        status="running",
        room=practice.other_room_id,
        surgeon=practice.other_surgeon.id,
    )
    set_now(api, local(10, 30))
    headers = users.headers(practice.anesthesist)
    expected = [("OP 1", [own])]
    assert ids(api.get(f"/api/op-timeline/?date={MONDAY}", headers=headers).json()) == expected
    assert ids(api.get("/api/op-timeline/live/", headers=headers).json()) == expected
    rooms = api.get(f"/api/op-timeline/rooms/?date={MONDAY}", headers=headers).json()
    assert ids(rooms) == [("OP 1", [own]), ("OP 2", [])]


def test_rooms_view_omits_inactive_rooms(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(10), room=practice.other_room_id)
    with db() as session, session.begin():
        session.execute(
            update(Resource).where(Resource.id == practice.other_room_id).values(active=False)
        )
    rooms = api.get(f"/api/op-timeline/rooms/?date={MONDAY}", headers=admin).json()
    assert ids(rooms) == [("OP 1", [])]
    plain = api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin).json()
    assert [g["room"]["id"] for g in plain] == [practice.other_room_id]


# --- errors, audit, roles --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/op-timeline/", "/api/op-timeline/rooms/"])
def test_date_errors(path: str, api: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    for query, detail in [
        ("", "Provide ?date=YYYY-MM-DD."),
        ("?date=", "Provide ?date=YYYY-MM-DD."),
        ("?date=2027-1-18", "Date must be in format YYYY-MM-DD."),
        ("?date=2027-13-01", "Date must be in format YYYY-MM-DD."),
        ("?date=heute", "Date must be in format YYYY-MM-DD."),
    ]:
        response = api.get(path + query, headers=admin)
        assert response.status_code == 400, query
        assert response.json() == {"detail": detail}
    assert audit_rows(db) == []


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-31"])
def test_edge_dates(api: TestClient, admin: Headers, practice: OpPractice, day: str) -> None:
    assert api.get(f"/api/op-timeline/?date={day}", headers=admin).json() == []
    rooms = api.get(f"/api/op-timeline/rooms/?date={day}", headers=admin)
    assert rooms.status_code == 200
    assert len(rooms.json()) == 2


def test_audit_meta(api: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    api.get(f"/api/op-timeline/?date={MONDAY}", headers=admin)
    api.get(f"/api/op-timeline/rooms/?date={MONDAY}", headers=admin)
    api.get("/api/op-timeline/live/", headers=admin)
    assert [(r.action, r.patient_id, r.meta) for r in audit_rows(db)] == [
        ("op_timeline_view", None, {"live": False, "date": MONDAY.isoformat()}),
        ("op_timeline_view", None, {"rooms": True, "date": MONDAY.isoformat()}),
        ("op_timeline_view", None, {"live": True}),
    ]


PATHS = [
    f"/api/op-timeline/?date={MONDAY}",
    f"/api/op-timeline/rooms/?date={MONDAY}",
    "/api/op-timeline/live/",
]


def test_read_roles(api: TestClient, as_role: Callable[[str | None], Headers]) -> None:
    for path in PATHS:
        for role in ("admin", "assistant", "doctor", "billing"):
            assert api.get(path, headers=as_role(role)).status_code == 200, (path, role)
        for role in ("nurse", None):
            assert api.get(path, headers=as_role(role)).status_code == 403, (path, role)
        assert api.get(path).status_code == 401


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unsafe_methods_are_403_for_everyone(
    method: str, api: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    for path in ("/api/op-timeline/", "/api/op-timeline/rooms/", "/api/op-timeline/live/"):
        for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
            assert api.request(method, path, headers=as_role(role)).status_code == 403
        assert api.request(method, path).status_code == 401


def test_bounded_number_of_queries(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    for hour in range(7, 19):
        room = practice.room_id if hour % 2 else practice.other_room_id
        insert_op(db, practice, local(hour), room=room, anesthesist=practice.anesthesist.id)
    for path in PATHS[:2]:
        responses: list[Any] = []

        def call(path: str = path, responses: list[Any] = responses) -> None:
            responses.append(api.get(path, headers=admin))

        statements = count_statements(api, call)
        assert sum(len(g["operations"]) for g in responses[0].json()) == 12
        assert len([s for s in statements if "FROM operations" in s]) == 1
        assert len(statements) <= 6
