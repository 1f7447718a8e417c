"""Appointment types — spec 02 §2, rbac-appointments §3 and §5, audit 01 §5.2."""

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
    audit_rows,
    caller_headers,
    check_matrix,
    created,
    crud_matrix,
    listen_events,
)

URL = "/api/appointment-types/"
FIELDS = ["id", "name", "color", "duration_minutes", "active", "created_at", "updated_at"]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def create(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    return created(client, URL, headers, body)


def test_create_with_defaults(client: TestClient, admin: Headers) -> None:
    body = create(client, admin, name="  Kontrolle ")
    assert list(body) == FIELDS
    assert body["name"] == "Kontrolle"
    assert body["color"] == "#2E8B57"
    assert body["duration_minutes"] is None
    assert body["active"] is True
    assert body["created_at"] == body["updated_at"]
    assert client.get(f"{URL}{body['id']}/", headers=admin).json() == body


def test_accepted_values(client: TestClient, admin: Headers) -> None:
    body = create(
        client, admin, name="Erstgespräch", color="blue", duration_minutes=1440, active=False
    )
    assert (body["color"], body["duration_minutes"], body["active"]) == ("blue", 1440, False)
    assert create(client, admin, name="Ohne Farbe", color=None)["color"] is None
    assert create(client, admin, name="Dauer", duration_minutes="30")["duration_minutes"] == 30
    # Read-only and unknown fields are ignored.
    ignored = create(client, admin, name="X", id=999, created_at="2020-01-01T00:00:00Z", foo=1)
    assert ignored["id"] != 999


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "   "}, {"name": ["This field may not be blank."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"name": "x" * 101}, {"name": ["Ensure this field has no more than 100 characters."]}),
        (
            {"name": "A", "duration_minutes": "zehn"},
            {"duration_minutes": ["A valid integer is required."]},
        ),
        (
            {"name": "A", "duration_minutes": 0},
            {"duration_minutes": ["duration_minutes muss > 0 sein."]},
        ),
        (
            {"name": "A", "duration_minutes": -5},
            {"duration_minutes": ["duration_minutes muss > 0 sein."]},
        ),
        (
            {"name": "A", "duration_minutes": 1441},
            {"duration_minutes": ["Ensure this value is less than or equal to 1440."]},
        ),
        (
            {"name": "A", "duration_minutes": 2**70},
            {"duration_minutes": ["Ensure this value is less than or equal to 1440."]},
        ),
        (
            {"name": "A", "color": "#2E8B57X"},
            {"color": ["Ensure this field has no more than 7 characters."]},
        ),
        ({"name": "A", "active": "vielleicht"}, {"active": ["Must be a valid boolean."]}),
        (
            {"duration_minutes": 0, "color": "12345678"},
            {
                "name": ["This field is required."],
                "color": ["Ensure this field has no more than 7 characters."],
                "duration_minutes": ["duration_minutes muss > 0 sein."],
            },
        ),
    ],
)
def test_validation(
    client: TestClient, admin: Headers, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    assert_invalid(client.post(URL, json=body, headers=admin), errors)


def test_list_ordering_and_active_filter(client: TestClient, admin: Headers) -> None:
    b = create(client, admin, name="Befund")
    a2 = create(client, admin, name="Akut", active=False)
    a1 = create(client, admin, name="Akut")
    a1_id = min(a1["id"], a2["id"])

    def names(query: str = "") -> list[int]:
        body = client.get(f"{URL}{query}", headers=admin).json()
        return [row["id"] for row in body["results"]]

    body = client.get(URL, headers=admin).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    assert names() == [a1_id, max(a1["id"], a2["id"]), b["id"]]
    assert names("?active=true") == [a1["id"], b["id"]]
    assert names("?active=FALSE") == [a2["id"]]
    assert names("?active=ja") == names()


def test_patch_changes_only_sent_fields_and_put_resets(client: TestClient, admin: Headers) -> None:
    row = create(client, admin, name="Kontrolle", color="red", duration_minutes=20, active=False)
    patched = client.patch(f"{URL}{row['id']}/", json={"name": "Check"}, headers=admin).json()
    assert patched == {**row, "name": "Check", "updated_at": patched["updated_at"]}
    assert patched["updated_at"] > row["updated_at"]
    put = client.put(f"{URL}{row['id']}/", json={"name": "Neu", "id": 77}, headers=admin)
    assert put.status_code == 200
    assert put.json()["id"] == row["id"]
    assert (put.json()["color"], put.json()["duration_minutes"], put.json()["active"]) == (
        "#2E8B57",
        None,
        True,
    )
    missing_name = client.put(f"{URL}{row['id']}/", json={"color": "x"}, headers=admin)
    assert missing_name.json() == {"name": ["This field is required."]}
    bad = client.patch(f"{URL}{row['id']}/", json={"duration_minutes": 0}, headers=admin)
    assert bad.json() == {"duration_minutes": ["duration_minutes muss > 0 sein."]}


def test_unknown_ids_and_404_before_400(client: TestClient, admin: Headers) -> None:
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        response = client.request(method, f"{URL}999/", json={"name": ""}, headers=admin)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert client.get(f"{URL}abc/", headers=admin).status_code == 404


def test_delete_and_audit_trail(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    row = create(client, admin, name="Kontrolle")
    client.get(URL, headers=admin)
    client.get(f"{URL}{row['id']}/", headers=admin)
    client.put(f"{URL}{row['id']}/", json={"name": "A"}, headers=admin)
    client.patch(f"{URL}{row['id']}/", json={"name": "B"}, headers=admin)
    client.patch(f"{URL}{row['id']}/", json={"name": ""}, headers=admin)  # 400: nothing
    response = client.delete(f"{URL}{row['id']}/", headers=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{URL}{row['id']}/", headers=admin).status_code == 404
    assert audit_actions(db) == [
        "appointment_type_create",
        "appointment_type_list",
        "appointment_type_view",
        "appointment_type_update",
        "appointment_type_update",
        "appointment_type_delete",
    ]
    assert all(r.patient_id is None and r.meta is None for r in audit_rows(db))


def test_writes_publish_live_events(client: TestClient, admin: Headers, database_url: str) -> None:
    with listen_events(database_url) as events:
        row = create(client, admin, name="Kontrolle")
        client.patch(f"{URL}{row['id']}/", json={"active": False}, headers=admin)
        client.delete(f"{URL}{row['id']}/", headers=admin)
        assert events.collect(3) == [
            ("appointment_type", row["id"], "created"),
            ("appointment_type", row["id"], "updated"),
            ("appointment_type", row["id"], "deleted"),
        ]


READ = {"admin", "assistant", "doctor", "billing"}
ANY_ROLE = READ | set(OTHER_ROLES)
ADMIN = {"admin"}
BODY = {"name": "Kontrolle"}
MATRIX = crud_matrix(URL, list_read=ANY_ROLE, detail_read=READ, write=ADMIN, body=BODY)


@pytest.mark.parametrize("caller", CALLERS)
def test_role_matrix(client: TestClient, admin: Headers, users: Users, caller: str) -> None:
    row = create(client, admin, name="Kontrolle")
    check_matrix(client, caller_headers(users, caller), caller, row["id"], MATRIX)


def test_role_check_comes_before_body_and_lookup(
    client: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    for role in ("assistant", "doctor", "billing", "nurse"):
        headers = as_role(role)
        assert client.post(URL, json={"name": ""}, headers=headers).status_code == 403
        assert client.patch(f"{URL}999999/", json={}, headers=headers).status_code == 403
    assert client.get(f"{URL}999999/", headers=as_role("lab")).status_code == 403
    assert client.get(f"{URL}999999/", headers=as_role("billing")).status_code == 404
