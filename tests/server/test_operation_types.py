"""Operation types — spec 02 §3, rbac-appointments §3 and §5, audit 01 §5.2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.server.conftest import Users
from tests.server.master_helpers import (
    CALLERS,
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

URL = "/api/operation-types/"
FIELDS = [
    "id",
    "name",
    "prep_duration",
    "op_duration",
    "post_duration",
    "color",
    "active",
    "created_at",
    "updated_at",
]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def create(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    return created(client, URL, headers, body)


def test_create_with_defaults(client: TestClient, admin: Headers) -> None:
    body = create(client, admin, name="Katarakt-OP")
    assert list(body) == FIELDS
    assert (body["prep_duration"], body["op_duration"], body["post_duration"]) == (0, 0, 0)
    assert body["color"] == "#8A2BE2"
    assert body["active"] is True
    assert client.get(f"{URL}{body['id']}/", headers=admin).json() == body
    full = create(
        client,
        admin,
        name="Arthroskopie",
        prep_duration=15,
        op_duration=1440,
        post_duration="30",
        color="green",
        active=False,
    )
    assert (full["prep_duration"], full["op_duration"], full["post_duration"]) == (15, 1440, 30)
    assert (full["color"], full["active"]) == ("green", False)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"name": "x" * 256}, {"name": ["Ensure this field has no more than 255 characters."]}),
        (
            {"name": "A", "prep_duration": -1},
            {"prep_duration": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"name": "A", "op_duration": 1441},
            {"op_duration": ["Ensure this value is less than or equal to 1440."]},
        ),
        (
            {"name": "A", "post_duration": "lang"},
            {"post_duration": ["A valid integer is required."]},
        ),
        ({"name": "A", "post_duration": None}, {"post_duration": ["This field may not be null."]}),
        (
            {"name": "A", "color": "#8A2BE2FF"},
            {"color": ["Ensure this field has no more than 7 characters."]},
        ),
        ({"name": "A", "color": None}, {"color": ["This field may not be null."]}),
        ({"name": "A", "active": None}, {"active": ["This field may not be null."]}),
        (
            {"prep_duration": -5, "op_duration": 5000, "post_duration": -1},
            {
                "name": ["This field is required."],
                "prep_duration": ["Ensure this value is greater than or equal to 0."],
                "op_duration": ["Ensure this value is less than or equal to 1440."],
                "post_duration": ["Ensure this value is greater than or equal to 0."],
            },
        ),
    ],
)
def test_validation(
    client: TestClient, admin: Headers, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    assert_invalid(client.post(URL, json=body, headers=admin), errors)


def test_list_ordering_ignores_filters(client: TestClient, admin: Headers) -> None:
    z = create(client, admin, name="Zyste")
    a = create(client, admin, name="Abszess", active=False)
    body = client.get(f"{URL}?active=true", headers=admin).json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [a["id"], z["id"]]


def test_patch_and_put(client: TestClient, admin: Headers) -> None:
    row = create(client, admin, name="OP", prep_duration=10, op_duration=60, color="red")
    patched = client.patch(f"{URL}{row['id']}/", json={"op_duration": 90}, headers=admin).json()
    assert patched == {**row, "op_duration": 90, "updated_at": patched["updated_at"]}
    put = client.put(f"{URL}{row['id']}/", json={"name": "OP 2"}, headers=admin).json()
    assert (put["prep_duration"], put["op_duration"], put["color"]) == (0, 0, "#8A2BE2")
    bad = client.patch(f"{URL}{row['id']}/", json={"prep_duration": -1}, headers=admin)
    assert bad.json() == {"prep_duration": ["Ensure this value is greater than or equal to 0."]}
    assert client.patch(f"{URL}999/", json={"prep_duration": -1}, headers=admin).status_code == 404


def test_audit_and_events(
    client: TestClient, admin: Headers, db: sessionmaker[Session], database_url: str
) -> None:
    with listen_events(database_url) as events:
        row = round_trip(client, URL, admin, {"name": "OP"}, ("PUT", {"name": "OP"}))
        assert events.collect(3) == [
            ("operation_type", row["id"], "created"),
            ("operation_type", row["id"], "updated"),
            ("operation_type", row["id"], "deleted"),
        ]
    assert audit_actions(db) == [
        "operation_type_create",
        "operation_type_list",
        "operation_type_view",
        "operation_type_update",
        "operation_type_delete",
    ]


READ = {"admin", "assistant", "doctor", "billing"}
ADMIN = {"admin"}
BODY = {"name": "OP"}
MATRIX = crud_matrix(URL, list_read=READ, detail_read=READ, write=ADMIN, body=BODY)


@pytest.mark.parametrize("caller", CALLERS)
def test_role_matrix(client: TestClient, admin: Headers, users: Users, caller: str) -> None:
    row = create(client, admin, name="OP")
    check_matrix(client, caller_headers(users, caller), caller, row["id"], MATRIX)


def test_role_check_comes_before_body_and_lookup(
    client: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    assert client.post(URL, json={"name": ""}, headers=as_role("assistant")).status_code == 403
    assert client.delete(f"{URL}999999/", headers=as_role("doctor")).status_code == 403
    assert client.delete(f"{URL}999999/", headers=as_role("admin")).status_code == 404
