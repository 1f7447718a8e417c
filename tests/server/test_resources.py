"""Resources (rooms, devices) — spec 02 §4, rbac-appointments §3 and §5, audit 01 §5.2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.server.conftest import Users
from tests.server.master_helpers import (
    CALLERS,
    OTHER_ROLES,
    Headers,
    assert_invalid,
    audit_actions,
    caller_headers,
    check_matrix,
    created,
    crud_matrix,
    listen_events,
    round_trip,
)

URL = "/api/resources/"
FIELDS = ["id", "name", "type", "color", "active", "op_capable", "created_at", "updated_at"]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def create(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    return created(client, URL, headers, body)


def test_create_with_defaults(client: TestClient, admin: Headers) -> None:
    body = create(client, admin, name="Behandlungsraum 1", type="room")
    assert list(body) == FIELDS
    assert (body["type"], body["color"], body["active"]) == ("room", "#6A5ACD", True)
    assert client.get(f"{URL}{body['id']}/", headers=admin).json() == body


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."], "type": ["This field is required."]}),
        ({"name": "", "type": "room"}, {"name": ["This field may not be blank."]}),
        (
            {"name": "x" * 256, "type": "room"},
            {"name": ["Ensure this field has no more than 255 characters."]},
        ),
        ({"name": "EKG", "type": "xyz"}, {"type": ['"xyz" is not a valid choice.']}),
        ({"name": "EKG", "type": "Room"}, {"type": ['"Room" is not a valid choice.']}),
        ({"name": "EKG", "type": None}, {"type": ["This field may not be null."]}),
        (
            {"name": "EKG", "type": "device", "color": "#6A5ACD0"},
            {"color": ["Ensure this field has no more than 7 characters."]},
        ),
        (
            {"name": "EKG", "type": "device", "active": "nope"},
            {"active": ["Must be a valid boolean."]},
        ),
    ],
)
def test_validation(
    client: TestClient, admin: Headers, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    assert_invalid(client.post(URL, json=body, headers=admin), errors)


def test_list_only_active_ordered_by_type_name_id(client: TestClient, admin: Headers) -> None:
    room_b = create(client, admin, name="Raum B", type="room")
    room_a = create(client, admin, name="Raum A", type="room")
    ekg = create(client, admin, name="EKG", type="device")
    old = create(client, admin, name="Altes Gerät", type="device", active=False)

    def ids(query: str = "") -> list[int]:
        body = client.get(f"{URL}{query}", headers=admin).json()
        return [row["id"] for row in body["results"]]

    assert ids() == [ekg["id"], room_a["id"], room_b["id"]]
    assert ids("?include_inactive=true") == [old["id"], ekg["id"], room_a["id"], room_b["id"]]
    assert ids("?include_inactive=TRUE&type=device") == [old["id"], ekg["id"]]
    assert ids("?include_inactive=false") == ids()
    assert ids("?include_inactive=yes") == ids()
    assert ids("?type=room") == [room_a["id"], room_b["id"]]
    assert ids("?type=Room") == []
    assert ids("?type=printer") == []
    # The detail works for inactive resources too.
    assert client.get(f"{URL}{old['id']}/", headers=admin).json()["active"] is False
    assert client.get(URL, headers=admin).json()["count"] == 3


def test_patch_and_put(client: TestClient, admin: Headers) -> None:
    row = create(client, admin, name="EKG", type="device", color="blue")
    patched = client.patch(f"{URL}{row['id']}/", json={"active": False}, headers=admin).json()
    assert patched == {**row, "active": False, "updated_at": patched["updated_at"]}
    put = client.put(f"{URL}{row['id']}/", json={"name": "Raum", "type": "room"}, headers=admin)
    assert put.json()["color"] == "#6A5ACD"
    assert put.json()["active"] is True
    incomplete = client.put(f"{URL}{row['id']}/", json={"name": "Raum"}, headers=admin)
    assert incomplete.json() == {"type": ["This field is required."]}
    bad = client.patch(f"{URL}{row['id']}/", json={"type": "xyz"}, headers=admin)
    assert bad.json() == {"type": ['"xyz" is not a valid choice.']}


def test_audit_and_events(
    client: TestClient, admin: Headers, db: sessionmaker[Session], database_url: str
) -> None:
    with listen_events(database_url) as events:
        device = {"name": "EKG", "type": "device"}
        row = round_trip(client, URL, admin, device, ("PATCH", {"name": "EKG 2"}))
        assert events.collect(3) == [
            ("resource", row["id"], "created"),
            ("resource", row["id"], "updated"),
            ("resource", row["id"], "deleted"),
        ]
    # The detail read of the round trip is not audited.
    assert audit_actions(db) == [
        "resource_create",
        "resource_list",
        "resource_update",
        "resource_delete",
    ]


READ = {"admin", "assistant", "doctor", "billing"}
ANY_ROLE = READ | set(OTHER_ROLES)
STAFF = {"admin", "assistant"}
BODY = {"name": "Raum", "type": "room"}
MATRIX = crud_matrix(URL, list_read=ANY_ROLE, detail_read=READ, write=STAFF, body=BODY)


@pytest.mark.parametrize("caller", CALLERS)
def test_role_matrix(client: TestClient, admin: Headers, users: Users, caller: str) -> None:
    row = create(client, admin, name="Raum", type="room")
    check_matrix(client, caller_headers(users, caller), caller, row["id"], MATRIX)


def test_role_check_comes_before_body_and_lookup(
    client: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    assert client.post(URL, json={"type": "xyz"}, headers=as_role("doctor")).status_code == 403
    assert client.put(f"{URL}999999/", json={}, headers=as_role("billing")).status_code == 403
    assert client.put(f"{URL}999999/", json={}, headers=as_role("assistant")).status_code == 404
