"""OP statistics (spec 04 §5.8, D-OP-13, §6, §9 scenario 9; rbac-operations-flow §2.5, §5)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
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
)
from tests.server.test_operations import MONDAY, NOW, OpPractice, build_op_practice

Headers = dict[str, str]
SCOPES = ("overview", "rooms", "devices", "surgeons", "types")


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


def stats(api: TestClient, headers: Headers, scope: str, query: str = f"date={MONDAY}") -> Any:
    response = api.get(f"/api/op-stats/{scope}/?{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- §9 scenario 9: test_op_stats -----------------------------------------------------------


def test_reference_scenario(
    api: TestClient,
    admin: Headers,
    users: Users,
    as_role: Callable[[str | None], Headers],
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    type_id = add_type(db, "Stat-OP", (0, 60, 0), "#ABCDEF")
    for hour in (8, 9):
        insert_op(db, practice, local(hour), type_id=type_id, devices=(practice.device_id,))
    head = {"range_from": MONDAY.isoformat(), "range_to": MONDAY.isoformat()}

    rooms = stats(api, admin, "rooms")
    assert list(rooms) == ["range_from", "range_to", "rooms"]
    assert rooms["range_from"] == rooms["range_to"] == MONDAY.isoformat()
    (room,) = rooms["rooms"]
    assert list(room) == ["room", "total_minutes", "used_minutes", "utilization"]
    assert room["room"]["id"] == practice.room_id
    assert room["room"]["name"] == "OP 1"
    assert list(room["room"]) == [
        "id",
        "name",
        "type",
        "color",
        "active",
        "created_at",
        "updated_at",
    ]
    assert (room["total_minutes"], room["used_minutes"], room["utilization"]) == (480, 120, 0.25)

    devices = stats(api, admin, "devices")
    assert [(d["device"]["name"], d["usage_minutes"]) for d in devices["devices"]] == [
        ("C-Bogen", 120)
    ]
    assert stats(api, admin, "types") == {
        **head,
        "types": [
            {
                "type": {"id": type_id, "name": "Stat-OP", "color": "#ABCDEF"},
                "count": 2,
                "avg_duration": 60.0,
                "min_duration": 60,
                "max_duration": 60,
            }
        ],
    }
    assert stats(api, admin, "surgeons") == {
        **head,
        "surgeons": [
            {
                "surgeon": {"id": practice.surgeon.id, "name": "Anna Berg", "color": "#1E90FF"},
                "op_count": 2,
                "total_op_minutes": 120,
                "average_op_duration": 60.0,
            }
        ],
    }
    doctor = users.headers(practice.surgeon)
    assert stats(api, doctor, "overview") == {
        **head,
        "op_count": 2,
        "total_op_minutes": 120,
        "average_op_duration": 60.0,
    }
    for scope in ("rooms", "devices", "types"):
        assert api.get(f"/api/op-stats/{scope}/?date={MONDAY}", headers=doctor).status_code == 403
    billing = as_role("billing")
    stats(api, billing, "overview")
    stats(api, billing, "types")


def test_floats_stay_floats(api: TestClient, admin: Headers) -> None:
    response = api.get(f"/api/op-stats/overview/?date={MONDAY}", headers=admin)
    assert response.json() == {
        "range_from": MONDAY.isoformat(),
        "range_to": MONDAY.isoformat(),
        "op_count": 0,
        "total_op_minutes": 0,
        "average_op_duration": 0.0,
    }
    assert re.search(r'"average_op_duration"\s*:\s*0\.0', response.text)
    for scope in ("rooms", "devices", "surgeons", "types"):
        assert stats(api, admin, scope)[scope] == []


# --- the operation set -----------------------------------------------------------------------


def test_cancelled_excluded_and_full_duration_counted(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(8), status="cancelled")
    insert_op(db, practice, local(9), 50, status="done")
    insert_op(db, practice, local(23, 0), 120, status="running")  # into Tuesday: not clipped
    insert_op(db, practice, local(22, 0, MONDAY - timedelta(days=1)), 120)  # ends at 00:00
    overview = stats(api, admin, "overview")
    assert (overview["op_count"], overview["total_op_minutes"]) == (2, 170)
    assert overview["average_op_duration"] == 85.0
    tuesday = stats(api, admin, "overview", f"date={MONDAY + timedelta(days=1)}")
    assert (tuesday["op_count"], tuesday["total_op_minutes"]) == (1, 120)


def test_rooms_over_several_days_and_ordering(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(10), 50, room=practice.other_room_id)
    insert_op(db, practice, local(10, 0, MONDAY + timedelta(days=2)), 50)
    insert_op(db, practice, local(12, 0, MONDAY + timedelta(days=2)), 100)
    query = f"from={MONDAY}&to={MONDAY + timedelta(days=6)}"
    rooms = stats(api, admin, "rooms", query)
    assert rooms["range_from"] == MONDAY.isoformat()
    assert rooms["range_to"] == (MONDAY + timedelta(days=6)).isoformat()
    assert [
        (r["room"]["id"], r["total_minutes"], r["used_minutes"], r["utilization"])
        for r in rooms["rooms"]
    ] == [
        (practice.room_id, 7 * 480, 150, 150 / 3360),
        (practice.other_room_id, 7 * 480, 50, 50 / 3360),
    ]


def test_utilization_may_exceed_one(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    type_id = add_type(db, "Lang", (0, 1440, 0), "#000000")
    insert_op(db, practice, local(0), 1440, type_id=type_id)
    (room,) = stats(api, admin, "rooms")["rooms"]
    assert room["utilization"] == 3.0


def test_devices_include_inactive_ones_ordered_by_id(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    insert_op(db, practice, local(8), 30, devices=(practice.device_id, practice.other_device_id))
    insert_op(db, practice, local(9), 45, devices=(practice.other_device_id,))
    with db() as session, session.begin():
        session.execute(
            update(Resource).where(Resource.id == practice.device_id).values(active=False)
        )
    devices = stats(api, admin, "devices")["devices"]
    assert [(d["device"]["id"], d["device"]["active"], d["usage_minutes"]) for d in devices] == [
        (practice.device_id, False, 30),
        (practice.other_device_id, True, 75),
    ]


def test_surgeons_and_types_grouping(
    api: TestClient,
    admin: Headers,
    users: Users,
    practice: OpPractice,
    db: sessionmaker[Session],
) -> None:
    short = add_type(db, "Kurz", (0, 30, 0), "#111111")
    insert_op(db, practice, local(8), 50, assistant=practice.other_surgeon.id)
    insert_op(db, practice, local(9), 30, type_id=short)
    insert_op(
        db,
        practice,
        local(11),
        20,
        type_id=short,
        surgeon=practice.other_surgeon.id,
        room=practice.other_room_id,
    )
    surgeons = stats(api, admin, "surgeons")["surgeons"]
    assert [
        (s["surgeon"]["id"], s["op_count"], s["total_op_minutes"], s["average_op_duration"])
        for s in surgeons
    ] == [
        (practice.surgeon.id, 2, 80, 40.0),
        (practice.other_surgeon.id, 1, 20, 20.0),
    ]
    assert surgeons[1]["surgeon"] == {
        "id": practice.other_surgeon.id,
        "name": "Jonas Keller",
        "color": "#FF8C00",
    }
    types = stats(api, admin, "types")["types"]
    assert [
        (t["type"]["id"], t["count"], t["avg_duration"], t["min_duration"], t["max_duration"])
        for t in types
    ] == [
        (practice.type_id, 1, 50.0, 50, 50),
        (short, 2, 25.0, 20, 30),
    ]
    # A doctor: overview counts every team role, surgeons only primary-surgeon operations.
    keller = users.headers(practice.other_surgeon)
    overview = stats(api, keller, "overview")
    assert (overview["op_count"], overview["total_op_minutes"]) == (2, 70)
    mine = stats(api, keller, "surgeons")["surgeons"]
    assert [(s["surgeon"]["id"], s["op_count"]) for s in mine] == [(practice.other_surgeon.id, 1)]
    berg = stats(api, users.headers(practice.anesthesist), "surgeons")
    assert berg["surgeons"] == []


# --- range parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("scope", SCOPES)
def test_range_errors(
    scope: str, api: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    required = "Provide either ?date=YYYY-MM-DD or ?from=YYYY-MM-DD&to=YYYY-MM-DD."
    malformed = "Dates must be in format YYYY-MM-DD."
    for query, detail in [
        ("", required),
        ("from=2027-01-01", required),
        ("to=2027-01-01", required),
        ("date=&from=2027-01-01", required),
        ("date=2027-1-18", malformed),
        ("date=2027-02-29", malformed),
        ("from=2027-01-01&to=01.02.2027", malformed),
        ("from=x&to=2027-01-01", malformed),
        ("from=2027-01-02&to=2027-01-01", "from must be <= to."),
        ("from=2027-01-01&to=2028-01-02", "Range too large (max 366 days)."),
        ("from=1900-01-01&to=9000-12-31", "Range too large (max 366 days)."),
        ("from=0001-01-01&to=0001-01-02", malformed),
    ]:
        response = api.get(f"/api/op-stats/{scope}/?{query}", headers=admin)
        assert response.status_code == 400, query
        assert response.json() == {"detail": detail}, query
    assert audit_rows(db) == []


def test_range_limits_and_date_precedence(api: TestClient, admin: Headers) -> None:
    leap = stats(api, admin, "rooms", "from=2028-01-01&to=2028-12-31")  # 366 days
    assert leap["range_to"] == "2028-12-31"
    day = stats(api, admin, "overview", f"date={MONDAY}&from=x&to=2020-01-01")
    assert day["range_from"] == day["range_to"] == MONDAY.isoformat()
    for first in (date(1900, 1, 1), date(9000, 12, 31)):
        edge = stats(api, admin, "overview", f"date={first}")
        assert edge["op_count"] == 0


def test_audit_meta(api: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    for scope in SCOPES:
        stats(api, admin, scope, "from=2027-01-01&to=2027-01-31")
    stats(api, admin, "overview")
    assert [(r.action, r.patient_id, r.meta) for r in audit_rows(db)] == [
        ("op_stats_view", None, {"scope": scope, "from": "2027-01-01", "to": "2027-01-31"})
        for scope in SCOPES
    ] + [
        (
            "op_stats_view",
            None,
            {"scope": "overview", "from": MONDAY.isoformat(), "to": MONDAY.isoformat()},
        )
    ]


# --- roles (rbac §2.5, §5) ------------------------------------------------------------------


def test_roles(api: TestClient, as_role: Callable[[str | None], Headers]) -> None:
    allowed = {
        "overview": {"admin", "assistant", "doctor", "billing"},
        "surgeons": {"admin", "assistant", "doctor", "billing"},
        "rooms": {"admin", "assistant", "billing"},
        "devices": {"admin", "assistant", "billing"},
        "types": {"admin", "assistant", "billing"},
    }
    for scope, roles in allowed.items():
        path = f"/api/op-stats/{scope}/?date={MONDAY}"
        for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
            expected = 200 if role in roles else 403
            assert api.get(path, headers=as_role(role)).status_code == expected, (scope, role)
        assert api.get(path).status_code == 401
        # 403 comes before parameter validation
        assert api.get(f"/api/op-stats/{scope}/", headers=as_role("nurse")).status_code == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unsafe_methods_are_403_for_everyone(
    method: str, api: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    for scope in SCOPES:
        for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
            response = api.request(method, f"/api/op-stats/{scope}/", headers=as_role(role))
            assert response.status_code == 403, (scope, role)
        assert api.request(method, f"/api/op-stats/{scope}/").status_code == 401


def test_one_aggregate_query_per_request(
    api: TestClient, admin: Headers, practice: OpPractice, db: sessionmaker[Session]
) -> None:
    for hour in range(7, 19):
        insert_op(db, practice, local(hour), 50, devices=(practice.device_id,))
    for scope in SCOPES:
        responses: list[Any] = []

        def call(scope: str = scope, responses: list[Any] = responses) -> None:
            responses.append(api.get(f"/api/op-stats/{scope}/?date={MONDAY}", headers=admin))

        statements = count_statements(api, call)
        assert responses[0].status_code == 200
        assert len([s for s in statements if "FROM operations" in s]) == 1, scope
        assert len(statements) <= 5
