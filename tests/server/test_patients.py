"""Patients — spec 02 §1, rbac-appointments §2 and §5, audit 01 §5.2."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.patients.models import Patient
from server.patients.render import display_name, display_names
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.master_helpers import (
    CALLERS,
    DENIED,
    Headers,
    audit_actions,
    audit_rows,
    listen_events,
)

FIELDS = [
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "insurance_number",
    "created_at",
    "updated_at",
]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def create(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    response = client.post("/api/patients/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def seed(db: sessionmaker[Session], rows: list[dict[str, Any]]) -> None:
    with db() as session, session.begin():
        session.execute(insert(Patient), rows)


# --- create, representation, ids ------------------------------------------------------------


def test_create_returns_the_ten_fields_and_audits(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    body = create(
        client,
        admin,
        id=1001,
        first_name="Max",
        last_name="Mustermann",
        birth_date="1990-05-15",
        gender="male",
        phone="+49 30 1234567",
        email="max@example.org",
        insurance_number="A123456789",
    )
    assert list(body) == FIELDS
    assert body["id"] == 1001
    assert body["birth_date"] == "1990-05-15"
    assert body["insurance_number"] == "A123456789"
    assert body["created_at"].endswith(("+01:00", "+02:00"))
    assert body["updated_at"] == body["created_at"]
    (row,) = audit_rows(db, "patient_created")
    assert row.patient_id == 1001
    assert row.meta is None
    assert row.role_name == "admin"
    detail = client.get("/api/patients/1001/", headers=admin).json()
    assert detail == body


def test_defaults_and_normalisation(client: TestClient, admin: Headers) -> None:
    body = create(
        client,
        admin,
        first_name="  Erika ",
        gender="",
        phone="   ",
        email=" ",
        insurance_number="  K-77  ",
    )
    assert body["first_name"] == "Erika"
    assert body["last_name"] == ""
    assert body["birth_date"] is None
    assert body["gender"] is None
    assert body["phone"] is None
    assert body["email"] is None
    assert body["insurance_number"] == "K-77"
    empty = create(client, admin, first_name="  ", last_name="")
    assert (empty["first_name"], empty["last_name"]) == ("", "")


def test_server_assigns_the_next_free_number(client: TestClient, admin: Headers) -> None:
    for number in (1, 2, 5):
        create(client, admin, id=number)
    assert [create(client, admin)["id"] for _ in range(3)] == [3, 4, 6]
    assert create(client, admin, id=None)["id"] == 7
    create(client, admin, id=8)
    create(client, admin, id=9)
    assert create(client, admin)["id"] == 10


def test_large_imported_number_block_is_skipped_at_once(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    seed(db, [{"id": n, "last_name": f"Import{n}"} for n in range(1, 3001)])
    assert create(client, admin, last_name="Neu")["id"] == 3001
    assert create(client, admin, last_name="Neu")["id"] == 3002


def test_duplicate_id_is_400(client: TestClient, admin: Headers, db: sessionmaker[Session]) -> None:
    create(client, admin, id=42, last_name="Erste")
    response = client.post("/api/patients/", json={"id": 42, "last_name": "Zweite"}, headers=admin)
    assert response.status_code == 400
    assert response.json() == {"id": ["Patient with this id already exists."]}
    assert len(audit_rows(db, "patient_created")) == 1
    assert client.get("/api/patients/42/", headers=admin).json()["last_name"] == "Erste"


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"id": "abc"}, {"id": ["A valid integer is required."]}),
        ({"id": 1.5}, {"id": ["A valid integer is required."]}),
        ({"id": 0}, {"id": ["id must be a positive integer."]}),
        ({"id": -7}, {"id": ["id must be a positive integer."]}),
        (
            {"id": 2**63},
            {"id": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
        (
            {"birth_date": "2999-01-01"},
            {"birth_date": ["birth_date darf nicht in der Zukunft liegen."]},
        ),
        (
            {"birth_date": "15.05.1990"},
            {
                "birth_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {"birth_date": "2025-02-30"},
            {
                "birth_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        ({"email": "kein-at-zeichen"}, {"email": ["Invalid email address."]}),
        ({"email": "max@"}, {"email": ["Invalid email address."]}),
        ({"first_name": None}, {"first_name": ["This field may not be null."]}),
        ({"last_name": None}, {"last_name": ["This field may not be null."]}),
        (
            {"first_name": "x" * 101},
            {"first_name": ["Ensure this field has no more than 100 characters."]},
        ),
        (
            {"last_name": "x" * 101},
            {"last_name": ["Ensure this field has no more than 100 characters."]},
        ),
        ({"gender": "x" * 21}, {"gender": ["Ensure this field has no more than 20 characters."]}),
        ({"phone": "1" * 51}, {"phone": ["Ensure this field has no more than 50 characters."]}),
        (
            {"email": "a" * 251 + "@x.de"},
            {"email": ["Ensure this field has no more than 255 characters."]},
        ),
        (
            {"insurance_number": "x" * 51},
            {"insurance_number": ["Ensure this field has no more than 50 characters."]},
        ),
        ({"last_name": "Nul\u0000l"}, {"last_name": ["Null characters are not allowed."]}),
        ({"last_name": ["Liste"]}, {"last_name": ["Not a valid string."]}),
    ],
)
def test_create_validation(
    client: TestClient, admin: Headers, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    response = client.post("/api/patients/", json=body, headers=admin)
    assert response.status_code == 400
    assert response.json() == errors


def test_all_invalid_fields_are_reported_together(client: TestClient, admin: Headers) -> None:
    response = client.post(
        "/api/patients/",
        json={"id": 0, "birth_date": "2999-12-31", "email": "kaputt", "phone": "1" * 60},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {
        "id": ["id must be a positive integer."],
        "birth_date": ["birth_date darf nicht in der Zukunft liegen."],
        "phone": ["Ensure this field has no more than 50 characters."],
        "email": ["Invalid email address."],
    }


@pytest.fixture
def late_evening_client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    # 23:30 UTC on 10 March is already 11 March in Berlin (00:30 CET).
    settings = make_settings(database_url, tmp_path / "data", test_now="2026-03-10T23:30:00+00:00")
    with shared_client(settings) as client:
        yield client


def test_birth_date_is_compared_with_the_local_today(
    late_evening_client: TestClient, admin: Headers
) -> None:
    ok = late_evening_client.post(
        "/api/patients/", json={"birth_date": "2026-03-11"}, headers=admin
    )
    assert ok.status_code == 201
    tomorrow = late_evening_client.post(
        "/api/patients/", json={"birth_date": "2026-03-12"}, headers=admin
    )
    assert tomorrow.json() == {"birth_date": ["birth_date darf nicht in der Zukunft liegen."]}
    patched = late_evening_client.patch(
        f"/api/patients/{ok.json()['id']}/", json={"birth_date": "2026-03-12"}, headers=admin
    )
    assert patched.status_code == 400


# --- update ---------------------------------------------------------------------------------


@pytest.fixture
def max_mustermann(client: TestClient, admin: Headers) -> dict[str, Any]:
    return create(
        client,
        admin,
        id=7,
        first_name="Max",
        last_name="Mustermann",
        birth_date="1990-05-15",
        gender="male",
        phone="030 123",
        email="max@example.org",
        insurance_number="A1",
    )


def test_patch_changes_only_sent_fields(
    client: TestClient, admin: Headers, max_mustermann: dict[str, Any], db: sessionmaker[Session]
) -> None:
    response = client.patch("/api/patients/7/", json={"first_name": " Maxi "}, headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert body == {
        **max_mustermann,
        "first_name": "Maxi",
        "updated_at": body["updated_at"],
    }
    assert body["updated_at"] > max_mustermann["updated_at"]
    (row,) = audit_rows(db, "patient_updated")
    assert row.patient_id == 7
    # Clearing an optional field with "" stores null.
    assert (
        client.patch("/api/patients/7/", json={"phone": ""}, headers=admin).json()["phone"] is None
    )


def test_put_resets_omitted_fields(
    client: TestClient, admin: Headers, max_mustermann: dict[str, Any]
) -> None:
    response = client.put("/api/patients/7/", json={"last_name": "Muster"}, headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in FIELDS[:8]} == {
        "id": 7,
        "first_name": "",
        "last_name": "Muster",
        "birth_date": None,
        "gender": None,
        "phone": None,
        "email": None,
        "insurance_number": None,
    }
    assert body["created_at"] == max_mustermann["created_at"]


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_id_cannot_be_changed(
    client: TestClient, admin: Headers, max_mustermann: dict[str, Any], method: str
) -> None:
    create(client, admin, id=8, last_name="Andere")
    response = client.request(method, "/api/patients/7/", json={"id": 8}, headers=admin)
    assert response.status_code == 400
    assert response.json() == {"id": ["id cannot be changed."]}
    response = client.request(method, "/api/patients/7/", json={"id": 0}, headers=admin)
    assert response.json() == {"id": ["id must be a positive integer."]}
    # Neither row changed.
    assert client.get("/api/patients/8/", headers=admin).json()["last_name"] == "Andere"
    assert client.get("/api/patients/7/", headers=admin).json()["last_name"] == "Mustermann"
    # The own id (or null) is accepted and ignored.
    same = client.request(
        method, "/api/patients/7/", json={"id": 7, "last_name": "Neu"}, headers=admin
    )
    assert same.status_code == 200
    assert same.json()["id"] == 7
    assert (
        client.request(method, "/api/patients/7/", json={"id": None}, headers=admin).status_code
        == 200
    )


def test_update_validation_and_404_before_400(
    client: TestClient, admin: Headers, max_mustermann: dict[str, Any]
) -> None:
    response = client.patch(
        "/api/patients/7/", json={"first_name": None, "email": "x@"}, headers=admin
    )
    assert response.json() == {
        "first_name": ["This field may not be null."],
        "email": ["Invalid email address."],
    }
    missing = client.patch("/api/patients/999/", json={"first_name": None}, headers=admin)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    broken = client.patch(
        "/api/patients/999/",
        content=b"{nope",
        headers={**admin, "Content-Type": "application/json"},
    )
    assert broken.status_code == 404
    for bad in ("abc", "0", "-1", str(2**63)):
        assert client.get(f"/api/patients/{bad}/", headers=admin).status_code == 404


# --- list -----------------------------------------------------------------------------------


def test_list_is_paginated_and_ordered(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    seed(
        db,
        [
            {"id": 4, "first_name": "Max", "last_name": "Mustermann"},
            {"id": 3, "first_name": "Anna", "last_name": "Mustermann"},
            {"id": 2, "first_name": "Anna", "last_name": "Mustermann"},
            {"id": 1, "first_name": "Zoe", "last_name": "Adler"},
            {"id": 5, "first_name": "", "last_name": ""},
        ],
    )
    with db() as session, session.begin():  # like a row imported from the original system
        session.execute(
            text("UPDATE patients SET created_at = NULL, updated_at = NULL WHERE id = 5")
        )
    body = client.get("/api/patients/", headers=admin).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 5
    assert [p["id"] for p in body["results"]] == [5, 1, 2, 3, 4]
    # Imported rows without timestamps render them as null.
    assert body["results"][0]["created_at"] is None
    page = client.get("/api/patients/?page_size=2&page=2", headers=admin).json()
    assert [p["id"] for p in page["results"]] == [2, 3]
    assert page["next"] == "http://testserver/api/patients/?page_size=2&page=3"
    assert page["previous"] == "http://testserver/api/patients/?page_size=2"
    assert client.get("/api/patients/?page=9", headers=admin).json() == {"detail": "Invalid page."}
    assert audit_actions(db) == ["patient_list", "patient_list"]


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def search_rows(db: sessionmaker[Session]) -> None:
    seed(
        db,
        [
            {
                "id": 1001,
                "first_name": "Max",
                "last_name": "Mustermann",
                "birth_date": date(1990, 5, 15),
                "phone": "030 1234567",
                "email": "max@example.org",
                "insurance_number": "A123456789",
            },
            {
                "id": 1002,
                "first_name": "Erika",
                "last_name": "Mustermann",
                "birth_date": date(1964, 8, 12),
                "email": "erika@praxis.de",
            },
            {"id": 1003, "first_name": "Ömer", "last_name": "ÖZDEMIR", "phone": "0176 55"},
            {
                "id": 1004,
                "first_name": "Max",
                "last_name": "Adler",
                "birth_date": date(1990, 5, 15),
            },
            {"id": 1005, "first_name": "100%", "last_name": "Under_Score"},
        ],
    )


def search(client: TestClient, headers: Headers, q: str | None) -> list[int]:
    params = {} if q is None else {"q": q}
    response = client.get("/api/patients/search/", params=params, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    return [p["id"] for p in body]


@pytest.mark.usefixtures("search_rows")
@pytest.mark.parametrize(
    ("q", "ids"),
    [
        (None, [1004, 1002, 1001, 1005, 1003]),
        ("   ", [1004, 1002, 1001, 1005, 1003]),
        ("1003", [1003]),
        (" 1003 ", [1003]),
        ("1", []),
        ("99999999999999999999999", []),
        ("muster", [1002, 1001]),
        ("MUSTER", [1002, 1001]),
        ("erik", [1002]),
        ("1234567", []),  # digits only: the patient number, never the phone
        ("030 1234567", [1001]),
        ("praxis.de", [1002]),
        ("a1234", [1001]),
        ("özdemir", [1003]),
        ("ÖMER", [1003]),
        ("Max Mustermann", [1001]),
        ("mustermann   max", [1001]),
        ("Max Muster Erika", []),
        ("15.05.1990", [1004, 1001]),
        ("1990-05-15", [1004, 1001]),
        ("Mustermann 15.05.1990", [1001]),
        ("31.02.1990", []),
        ("100%", [1005]),
        ("%", [1005]),
        ("unde_", []),
        ("R_s", [1005]),
        ("er_sc", [1005]),
        ("0176 55", [1003]),
        ("Mus\x00ter", [1002, 1001]),
        ("\x00", [1004, 1002, 1001, 1005, 1003]),
    ],
)
def test_search(client: TestClient, admin: Headers, q: str | None, ids: list[int]) -> None:
    assert search(client, admin, q) == ids


def test_search_limits_and_audit(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    seed(db, [{"id": n, "last_name": f"Name{n:03d}"} for n in range(1, 231)])
    everything = search(client, admin, "")
    assert len(everything) == 200
    assert everything[:3] == [1, 2, 3]
    matches = search(client, admin, "name")
    assert matches == list(range(1, 21))
    client.get("/api/patients/search/?q=%20%20Name%20", headers=admin)
    rows = audit_rows(db, "patient_search")
    assert [row.meta for row in rows] == [{"q": ""}, {"q": "name"}, {"q": "Name"}]
    assert all(row.patient_id is None for row in rows)


# --- display name ---------------------------------------------------------------------------


def test_display_names(db: sessionmaker[Session]) -> None:
    seed(
        db,
        [
            {
                "id": 1,
                "first_name": "Max",
                "last_name": "Mustermann",
                "birth_date": date(1990, 5, 15),
            },
            {"id": 2, "first_name": "Max", "last_name": ""},
            {"id": 3, "first_name": "", "last_name": "Mustermann"},
            {"id": 4, "first_name": "", "last_name": ""},
        ],
    )
    with db() as session:
        names = display_names(session, [1, 2, 3, 4, 5])
        assert names == {
            1: "Mustermann, Max (15.05.1990)",
            2: "Max",
            3: "Mustermann",
            4: "Patient #4",
            5: "Patient #5",
        }
        assert display_name(None, 9) == "Patient #9"
        assert session.scalar(select(func.count()).select_from(Patient)) == 4


# --- live events ----------------------------------------------------------------------------


def test_writes_publish_live_events(client: TestClient, admin: Headers, database_url: str) -> None:
    with listen_events(database_url) as events:
        created = create(client, admin, last_name="Neu")
        client.patch(f"/api/patients/{created['id']}/", json={"first_name": "A"}, headers=admin)
        client.put(f"/api/patients/{created['id']}/", json={"id": 999}, headers=admin)  # 400
        client.get(f"/api/patients/{created['id']}/", headers=admin)
        assert events.collect(3, timeout=1) == [
            ("patient", created["id"], "created"),
            ("patient", created["id"], "updated"),
        ]


def test_each_call_writes_one_audit_entry(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    created = create(client, admin, id=5)
    client.get("/api/patients/", headers=admin)
    client.get("/api/patients/5/", headers=admin)
    client.get("/api/patients/search/?q=x", headers=admin)
    client.put("/api/patients/5/", json={"last_name": "B"}, headers=admin)
    client.patch("/api/patients/5/", json={"last_name": "C"}, headers=admin)
    client.patch("/api/patients/5/", json={"email": "kaputt"}, headers=admin)  # 400: nothing
    client.get("/api/patients/6/", headers=admin)  # 404: nothing
    rows = audit_rows(db)
    assert [(r.action, r.patient_id) for r in rows] == [
        ("patient_created", created["id"]),
        ("patient_list", None),
        ("patient_view", 5),
        ("patient_search", None),
        ("patient_updated", 5),
        ("patient_updated", 5),
    ]


# --- rbac -----------------------------------------------------------------------------------

READ = {"admin", "assistant", "doctor", "billing"}
WRITE = {"admin", "assistant", "doctor"}
# (method, path, roles that succeed, status for the others that pass the role check)
MATRIX: list[tuple[str, str, set[str], int]] = [
    ("GET", "/api/patients/", READ, 200),
    ("POST", "/api/patients/", WRITE, 201),
    ("GET", "/api/patients/search/", READ, 200),
    ("GET", "/api/patients/7/", READ, 200),
    ("PUT", "/api/patients/7/", WRITE, 200),
    ("PATCH", "/api/patients/7/", WRITE, 200),
    # Unsupported methods: 405 for those passing the path's role check (rbac §5).
    ("DELETE", "/api/patients/7/", WRITE, 405),
    ("POST", "/api/patients/7/", WRITE, 405),
    ("PUT", "/api/patients/", WRITE, 405),
    ("PATCH", "/api/patients/", WRITE, 405),
    ("DELETE", "/api/patients/", WRITE, 405),
    ("POST", "/api/patients/search/", WRITE, 405),
    ("DELETE", "/api/patients/search/", WRITE, 405),
]


def caller_headers(users: Users, caller: str) -> Headers:
    if caller == "anon":
        return {}
    return users.headers(users.create(None if caller == "none" else caller))


@pytest.mark.parametrize("caller", CALLERS)
def test_role_matrix(client: TestClient, admin: Headers, users: Users, caller: str) -> None:
    create(client, admin, id=7, last_name="Muster")
    headers = caller_headers(users, caller)
    for method, path, allowed, status in MATRIX:
        body = {"last_name": "Muster"} if method in ("POST", "PUT", "PATCH") else None
        response = client.request(method, path, json=body, headers=headers)
        if caller == "anon":
            expected = 401
        elif caller in allowed:
            expected = status
        else:
            expected = 403
        assert response.status_code == expected, (method, path, response.text)
        if expected == 403:
            assert response.json() == DENIED
        if expected == 405:
            assert response.json() == {"detail": f'Method "{method}" not allowed.'}


def test_role_check_comes_before_lookup_and_body(
    client: TestClient, as_role: Callable[[str | None], Headers]
) -> None:
    billing = as_role("billing")
    assert (
        client.patch("/api/patients/999999/", json={"id": "x"}, headers=billing).status_code == 403
    )
    assert client.get("/api/patients/999999/", headers=as_role("doctor")).status_code == 404
    nurse = as_role("nurse")
    assert client.post("/api/patients/", json={"id": "x"}, headers=nurse).status_code == 403


def test_concurrent_creates_get_distinct_numbers(client: TestClient, admin: Headers) -> None:
    from concurrent.futures import ThreadPoolExecutor

    create(client, admin, id=3)  # a client-chosen number inside the range being drawn

    def post(n: int) -> Any:
        return client.post("/api/patients/", json={"last_name": f"P{n}"}, headers=admin)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(post, range(12)))
    assert [r.status_code for r in responses] == [201] * 12
    ids = sorted(r.json()["id"] for r in responses)
    assert len(set(ids)) == 12
    assert 3 not in ids
