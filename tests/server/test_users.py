from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from tests.server.conftest import Users

Headers = dict[str, str]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def audit_rows(db: sessionmaker[Session], action: str) -> list[AuditLog]:
    with db() as session:
        return list(
            session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        )


def test_create_user_with_defaults(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    response = client.post(
        "/api/users/",
        json={
            "username": "dr.mueller",
            "password": "geheim-123",
            "role": "doctor",
            "first_name": "Anna",
        },
        headers=admin,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "dr.mueller"
    assert body["role"] == "doctor"
    assert body["first_name"] == "Anna"
    assert body["last_name"] == ""
    assert body["email"] == ""
    assert body["calendar_color"] == "#1E90FF"
    assert body["is_active"] is True
    assert body["vacation_days_per_year"] == 30
    assert body["last_login"] is None
    assert body["date_joined"].endswith(("+01:00", "+02:00"))
    assert "password" not in body
    (row,) = audit_rows(db, "user_create")
    assert row.meta == {"target_user_id": body["id"], "username": "dr.mueller"}
    assert row.role_name == "admin"
    # The new account can sign in.
    assert (
        client.post(
            "/api/auth/login/", json={"username": "dr.mueller", "password": "geheim-123"}
        ).status_code
        == 200
    )


def test_create_user_reports_every_invalid_field(client: TestClient, admin: Headers) -> None:
    response = client.post(
        "/api/users/",
        json={
            "username": "kein platz",
            "password": "kurz",
            "email": "kaputt",
            "role": "chefarzt",
            "calendar_color": "blue",
            "vacation_days_per_year": -1,
        },
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": [
            "Enter a valid username. This value may contain only letters, numbers, "
            "and @/./+/-/_ characters."
        ],
        "password": ["Ensure this field has at least 8 characters."],
        "email": ["Enter a valid email address."],
        "role": ['Unknown role "chefarzt".'],
        "calendar_color": ["Enter a valid hex color (#RRGGBB)."],
        "vacation_days_per_year": ["Ensure this value is greater than or equal to 0."],
    }


def test_update_user_reports_format_and_database_errors_together(
    client: TestClient, admin: Headers, users: Users
) -> None:
    taken = users.create("assistant", "vergeben")
    target = users.create("assistant", "ziel")
    response = client.patch(
        f"/api/users/{target.id}/",
        json={"username": taken.username, "role": "wizard", "calendar_color": "rot"},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A user with that username already exists."],
        "role": ['Unknown role "wizard".'],
        "calendar_color": ["Enter a valid hex color (#RRGGBB)."],
    }


def test_unknown_role_and_missing_fields(client: TestClient, admin: Headers) -> None:
    response = client.post("/api/users/", json={}, headers=admin)
    assert response.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }
    response = client.post(
        "/api/users/",
        json={"username": "neu", "password": "x" * 129, "role": "chefarzt"},
        headers=admin,
    )
    assert response.json() == {
        "password": ["Ensure this field has no more than 128 characters."],
        "role": ['Unknown role "chefarzt".'],
    }
    response = client.post(
        "/api/users/",
        json={"username": "neu", "password": "x" * 12, "role": "chefarzt"},
        headers=admin,
    )
    assert response.json() == {"role": ['Unknown role "chefarzt".']}


def test_username_and_email_are_unique_case_insensitively(
    client: TestClient, admin: Headers
) -> None:
    client.post(
        "/api/users/",
        json={"username": "Anna", "password": "geheim-123", "email": "anna@example.org"},
        headers=admin,
    )
    response = client.post(
        "/api/users/",
        json={"username": "ANNA", "password": "geheim-123", "email": "ANNA@example.org"},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A user with that username already exists."],
        "email": ["A user with this email already exists."],
    }
    # Any number of users may have no email.
    for name in ("ohne1", "ohne2"):
        assert (
            client.post(
                "/api/users/", json={"username": name, "password": "geheim-123"}, headers=admin
            ).status_code
            == 201
        )


def test_list_filters_and_ordering(client: TestClient, users: Users, admin: Headers) -> None:
    users.create("doctor", "zeta", last_name="Zimmer")
    users.create("doctor", "alpha", email="alpha@praxis.de")
    users.create(None, "beta", is_active=False)
    body = client.get("/api/users/", headers=admin).json()
    assert [u["username"] for u in body["results"]] == ["alpha", "beta", "chef", "zeta"]
    assert body["count"] == 4
    assert body["next"] is None
    assert body["previous"] is None

    def names(query: str) -> list[str]:
        return [
            u["username"]
            for u in client.get(f"/api/users/?{query}", headers=admin).json()["results"]
        ]

    assert names("role=doctor") == ["alpha", "zeta"]
    assert names("role=none") == ["beta"]
    assert names("is_active=false") == ["beta"]
    assert names("is_active=FALSE") == ["beta"]
    assert names("is_active=maybe") == ["alpha", "beta", "chef", "zeta"]
    assert names("q=zimm") == ["zeta"]
    assert names("q=PRAXIS.DE") == ["alpha"]
    assert names("q=%25") == []


def test_pagination_links_and_invalid_pages(
    client: TestClient, users: Users, admin: Headers
) -> None:
    for i in range(4):
        users.create("assistant", f"mfa{i}")
    page1 = client.get("/api/users/?page_size=2", headers=admin).json()
    assert page1["count"] == 5
    assert page1["previous"] is None
    assert page1["next"] == "http://testserver/api/users/?page_size=2&page=2"
    page2 = client.get(page1["next"], headers=admin).json()
    assert page2["previous"] == "http://testserver/api/users/?page_size=2"
    page3 = client.get("/api/users/?page_size=2&page=3", headers=admin).json()
    assert page3["next"] is None
    assert len(page3["results"]) == 1
    for bad in ("0", "4", "x", "-1"):
        response = client.get(f"/api/users/?page_size=2&page={bad}", headers=admin)
        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid page."}
    # page_size is clamped to 500 and ignored when invalid.
    assert len(client.get("/api/users/?page_size=abc", headers=admin).json()["results"]) == 5


def test_forwarded_headers_only_when_trusted(
    client: TestClient, users: Users, admin: Headers
) -> None:
    for i in range(2):
        users.create("assistant", f"mfa{i}")
    headers = {**admin, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "praxis.example"}
    body = client.get("/api/users/?page_size=1", headers=headers).json()
    assert body["next"].startswith("http://testserver/")


def test_patch_updates_only_sent_fields_and_audits_field_names(
    client: TestClient, users: Users, admin: Headers, db: sessionmaker[Session]
) -> None:
    target = users.create("assistant", "mfa", first_name="Eva")
    response = client.patch(
        f"/api/users/{target.id}/",
        json={"last_name": "Schmidt", "role": "doctor", "password": "neu-und-lang"},
        headers=admin,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["first_name"], body["last_name"], body["role"]) == ("Eva", "Schmidt", "doctor")
    (row,) = audit_rows(db, "user_update")
    assert row.meta == {"target_user_id": target.id, "fields": ["last_name", "password", "role"]}


def test_admin_cannot_demote_or_deactivate_self(client: TestClient, users: Users) -> None:
    me = users.create("admin", "chef")
    headers = users.headers(me)
    response = client.patch(f"/api/users/{me.id}/", json={"is_active": False}, headers=headers)
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You cannot deactivate your own account."},
    )
    response = client.patch(f"/api/users/{me.id}/", json={"role": "doctor"}, headers=headers)
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You cannot change your own role."},
    )
    response = client.delete(f"/api/users/{me.id}/", headers=headers)
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "You cannot deactivate your own account."},
    )
    # Sending the unchanged own role is fine.
    assert (
        client.patch(f"/api/users/{me.id}/", json={"role": "admin"}, headers=headers).status_code
        == 200
    )


def test_delete_is_a_soft_deactivation(
    client: TestClient, users: Users, admin: Headers, db: sessionmaker[Session]
) -> None:
    target = users.create("doctor", "dr.weg")
    target_headers = users.headers(target)
    assert client.delete(f"/api/users/{target.id}/", headers=admin).status_code == 204
    assert client.delete(f"/api/users/{target.id}/", headers=admin).status_code == 204
    listed = client.get("/api/users/?q=dr.weg", headers=admin).json()["results"]
    assert listed[0]["is_active"] is False
    # Existing access tokens stop working at once.
    response = client.get("/api/auth/me/", headers=target_headers)
    assert response.json() == {"detail": "User is inactive", "code": "user_inactive"}
    assert len(audit_rows(db, "user_delete")) == 2
    assert client.delete("/api/users/999999/", headers=admin).status_code == 404


def test_unknown_and_malformed_ids_are_404(client: TestClient, admin: Headers) -> None:
    for path in (
        "/api/users/999999/",
        "/api/users/abc/",
        "/api/users/0/",
        "/api/users/99999999999999999999/",
    ):
        response = client.get(path, headers=admin)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_roles_list(client: TestClient, admin: Headers) -> None:
    body = client.get("/api/roles/", headers=admin).json()
    assert [r["name"] for r in body] == [
        "admin",
        "assistant",
        "billing",
        "doctor",
        "lab",
        "management",
        "nurse",
        "reception",
    ]
    assert {r["name"]: r["label"] for r in body}["assistant"] == "Assistent"


@pytest.mark.parametrize(
    "role", ["assistant", "doctor", "billing", "nurse", "reception", "lab", "management", None]
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/users/"),
        ("POST", "/api/users/"),
        ("GET", "/api/users/1/"),
        ("PATCH", "/api/users/1/"),
        ("DELETE", "/api/users/1/"),
        ("PUT", "/api/users/1/"),
        ("GET", "/api/roles/"),
        ("POST", "/api/roles/"),
        ("GET", "/api/audit-log/"),
        ("DELETE", "/api/audit-log/"),
        ("PATCH", "/api/users/"),
    ],
)
def test_admin_only_endpoints_are_403_for_other_roles(
    client: TestClient,
    as_role: Callable[[str | None], Headers],
    role: str | None,
    method: str,
    path: str,
) -> None:
    response = client.request(method, path, headers=as_role(role), json={})
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/api/users/1/"),
        ("POST", "/api/users/1/"),
        ("PUT", "/api/users/"),
        ("PATCH", "/api/users/"),
        ("DELETE", "/api/users/"),
        ("POST", "/api/roles/"),
        ("DELETE", "/api/roles/"),
        ("POST", "/api/audit-log/"),
        ("PATCH", "/api/audit-log/"),
    ],
)
def test_unsupported_methods_are_405_for_admin_and_401_anonymous(
    client: TestClient, admin: Headers, method: str, path: str
) -> None:
    response = client.request(method, path, headers=admin)
    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    assert client.request(method, path).status_code == 401


def test_role_change_applies_on_next_request(
    client: TestClient, users: Users, admin: Headers
) -> None:
    target = users.create("admin", "zweitchef")
    headers = users.headers(target)
    assert client.get("/api/users/", headers=headers).status_code == 200
    client.patch(f"/api/users/{target.id}/", json={"role": "billing"}, headers=admin)
    assert client.get("/api/users/", headers=headers).status_code == 403
