"""Operating rooms (``op_capable``, docs/op-rooms.md): the migration marks the rooms that
operations already use, the resources API reads and writes the flag, and nonsense is a clear
400 — never a 500, never a device that claims to be an operating room."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from server.db import make_engine
from server.migrate import alembic_config, upgrade
from tests.server.conftest import PostgresServer, Users, drop_database
from tests.server.master_helpers import (
    Headers,
    assert_invalid,
    audit_actions,
    created,
    listen_events,
)

URL = "/api/resources/"
ROOMS_ONLY = {"op_capable": ['op_capable ist nur für Ressourcen mit type="room" möglich.']}


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


@pytest.fixture
def assistant(users: Users) -> Headers:
    return users.headers(users.create("assistant", "mfa"))


def create(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    return created(client, URL, headers, body)


def op_capable(client: TestClient, headers: Headers, row_id: int) -> bool:
    flag: bool = client.get(f"{URL}{row_id}/", headers=headers).json()["op_capable"]
    return flag


# --- the migration ---------------------------------------------------------------------------

_names = itertools.count()


@pytest.fixture
def empty_database(pg_cluster: PostgresServer) -> Iterator[str]:
    name = f"op_rooms_{os.getpid()}_{next(_names)}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield pg_cluster.url(name)
    drop_database(pg_cluster, name)


ROOMS_AT_0010 = """
INSERT INTO users (id, username, password_hash) OVERRIDING SYSTEM VALUE
     VALUES (1, 'dr.maier', 'x');
INSERT INTO patients (id, first_name, last_name) VALUES (7, 'Anna', 'Berg');
INSERT INTO operation_types (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Arthroskopie');
INSERT INTO resources (id, name, type) OVERRIDING SYSTEM VALUE
     VALUES (1, 'OP 1', 'room'), (2, 'Labor', 'room'), (3, 'C-Bogen', 'device'),
            (4, 'Eingriffsraum', 'room');
INSERT INTO operations (patient_id, primary_surgeon_id, op_room_id, op_type_id, start_time,
                        end_time, status)
     VALUES (7, 1, 1, 1, '2027-01-18 08:00+01', '2027-01-18 09:00+01', 'done'),
            (7, 1, 4, 1, '2027-01-19 08:00+01', '2027-01-19 09:00+01', 'cancelled');
"""


def flags(engine: Any) -> dict[str, bool]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, op_capable FROM resources ORDER BY id"))
        return {str(name): bool(flag) for name, flag in rows}


def test_migration_marks_the_rooms_operations_use_and_keeps_the_data_both_ways(
    empty_database: str,
) -> None:
    engine = make_engine(empty_database, pool_size=1)
    try:
        upgrade(engine, "0010")
        with engine.begin() as conn:
            conn.execute(text(ROOMS_AT_0010))
        upgrade(engine, "0011")
        # A room any operation used (even a cancelled one) has been an operating room.
        assert flags(engine) == {
            "OP 1": True,
            "Labor": False,
            "C-Bogen": False,
            "Eingriffsraum": True,
        }
        with engine.begin() as conn:
            refused = conn.begin_nested()
            with pytest.raises(Exception, match="ck_resources_op_capable_room"):
                conn.execute(text("UPDATE resources SET op_capable = true WHERE id = 3"))
            refused.rollback()
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0010")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM resources")) == 4
            assert conn.scalar(text("SELECT count(*) FROM operations")) == 2
        upgrade(engine, "0011")
        assert flags(engine)["OP 1"] is True
    finally:
        engine.dispose()


# --- the API ---------------------------------------------------------------------------------


def test_a_new_room_is_an_operating_room_and_a_new_device_is_not(
    client: TestClient, admin: Headers
) -> None:
    room = create(client, admin, name="OP 3", type="room")
    device = create(client, admin, name="C-Bogen", type="device")
    lab = create(client, admin, name="Labor", type="room", op_capable=False)
    assert (room["op_capable"], device["op_capable"], lab["op_capable"]) == (True, False, False)
    assert list(room)[5] == "op_capable"  # right after "active"
    listed = client.get(f"{URL}?type=room", headers=admin).json()["results"]
    assert {row["name"]: row["op_capable"] for row in listed} == {"Labor": False, "OP 3": True}


def test_the_flag_is_changed_audited_and_announced_like_any_master_data(
    client: TestClient,
    assistant: Headers,
    db: sessionmaker[Session],
    database_url: str,
) -> None:
    room = create(client, assistant, name="Ultraschallraum", type="room")
    with listen_events(database_url) as events:
        response = client.patch(
            f"{URL}{room['id']}/", json={"op_capable": False}, headers=assistant
        )
        assert response.status_code == 200
        assert events.collect(1) == [("resource", room["id"], "updated")]
    assert response.json()["op_capable"] is False
    assert op_capable(client, assistant, room["id"]) is False
    assert audit_actions(db)[-1] == "resource_update"
    # A PUT without the flag keeps it; one with it sets it.
    put = client.put(
        f"{URL}{room['id']}/", json={"name": "Ultraschall", "type": "room"}, headers=assistant
    )
    assert put.json()["op_capable"] is False
    put = client.put(
        f"{URL}{room['id']}/",
        json={"name": "OP 4", "type": "room", "op_capable": "true"},
        headers=assistant,
    )
    assert put.json()["op_capable"] is True


def test_a_room_that_becomes_a_device_stops_being_an_operating_room(
    client: TestClient, admin: Headers
) -> None:
    room = create(client, admin, name="Kleiner OP", type="room")
    changed = client.patch(f"{URL}{room['id']}/", json={"type": "device"}, headers=admin)
    assert changed.status_code == 200
    assert changed.json()["op_capable"] is False
    back = client.patch(f"{URL}{room['id']}/", json={"type": "room"}, headers=admin)
    assert back.json()["op_capable"] is False  # marked again only on purpose


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"name": "OP", "type": "room", "op_capable": "vielleicht"},
            {"op_capable": ["Must be a valid boolean."]},
        ),
        (
            {"name": "OP", "type": "room", "op_capable": None},
            {"op_capable": ["This field may not be null."]},
        ),
        (
            {"name": "OP", "type": "room", "op_capable": [True]},
            {"op_capable": ["Must be a valid boolean."]},
        ),
        (
            {"name": "OP", "type": "room", "op_capable": 2},
            {"op_capable": ["Must be a valid boolean."]},
        ),
        ({"name": "C-Bogen", "type": "device", "op_capable": True}, ROOMS_ONLY),
    ],
)
def test_bad_values_are_a_clear_400(
    client: TestClient, admin: Headers, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    assert_invalid(client.post(URL, json=body, headers=admin), errors)
    assert client.get(URL, headers=admin).json()["count"] == 0


def test_a_device_cannot_be_marked_and_a_refused_change_changes_nothing(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    device = create(client, admin, name="C-Bogen", type="device")
    room = create(client, admin, name="OP 1", type="room")
    assert_invalid(
        client.patch(f"{URL}{device['id']}/", json={"op_capable": True}, headers=admin),
        ROOMS_ONLY,
    )
    assert_invalid(
        client.patch(
            f"{URL}{room['id']}/", json={"type": "device", "op_capable": True}, headers=admin
        ),
        ROOMS_ONLY,
    )
    assert op_capable(client, admin, device["id"]) is False
    assert client.get(f"{URL}{room['id']}/", headers=admin).json()["type"] == "room"
    assert audit_actions(db).count("resource_update") == 0


@pytest.mark.parametrize("role", ["doctor", "billing", "nurse"])
def test_who_may_change_it_is_unchanged(
    client: TestClient, admin: Headers, users: Users, role: str
) -> None:
    room = create(client, admin, name="OP 1", type="room")
    caller = users.headers(users.create(role, f"user.{role}"))
    response = client.patch(f"{URL}{room['id']}/", json={"op_capable": False}, headers=caller)
    assert response.status_code == 403
    assert op_capable(client, admin, room["id"]) is True
    # Every role with a list right still reads the flag (OP-Plan needs it).
    listed = client.get(URL, headers=caller).json()["results"]
    assert listed[0]["op_capable"] is True


def test_the_openapi_document_names_the_field_in_the_resource_bodies(client: TestClient) -> None:
    document = client.get("/api/schema/").json()
    for method in ("post", "put", "patch"):
        path = URL if method == "post" else f"{URL}{{row_id}}/"
        body = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        properties = body["schema"]["properties"]
        assert list(properties) == ["name", "type", "color", "active", "op_capable"]
        assert properties["op_capable"]["type"] == "boolean"
        assert "op_capable" not in body["schema"].get("required", [])
