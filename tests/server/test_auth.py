from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import argon2.profiles
import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.auth import passwords, tokens
from server.auth.service import ROTATION_GRACE
from server.users.models import User
from tests.server.conftest import DEFAULT_PASSWORD, TEST_SECRET, Users


def login(client: TestClient, username: str, password: str = DEFAULT_PASSWORD) -> dict:
    response = client.post("/api/auth/login/", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.external_postgres
def test_login_returns_user_and_token_pair(client: TestClient, users: Users) -> None:
    doctor = users.create(
        "doctor",
        "dr.mueller",
        first_name="Anna",
        last_name="Müller",
        email="dr.mueller@example.org",
    )
    body = login(client, "dr.mueller")
    assert body["user"] == {
        "id": doctor.id,
        "username": "dr.mueller",
        "email": "dr.mueller@example.org",
        "first_name": "Anna",
        "last_name": "Müller",
        "role": {"id": body["user"]["role"]["id"], "name": "doctor", "label": "Arzt"},
    }
    access = jwt.decode(body["access"], TEST_SECRET, algorithms=["HS256"])
    refresh = jwt.decode(body["refresh"], TEST_SECRET, algorithms=["HS256"])
    assert access["token_type"] == "access"
    assert access["user_id"] == str(doctor.id)
    assert access["role"] == "doctor"
    assert access["exp"] - access["iat"] == 30 * 60
    assert refresh["token_type"] == "refresh"
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600
    assert refresh["token_version"] == 0
    assert "family_id" in refresh


def test_login_is_case_insensitive_and_updates_last_login(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    user = users.create("assistant", "Empfang.Eins")
    body = login(client, "empfang.eins")
    assert body["user"]["username"] == "Empfang.Eins"
    with db() as session:
        assert session.get(User, user.id).last_login is not None  # type: ignore[union-attr]


def test_login_of_user_without_role_has_null_role(client: TestClient, users: Users) -> None:
    users.create(None, "ohnerolle")
    assert login(client, "ohnerolle")["user"]["role"] is None


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
        ({"username": "x"}, {"password": ["This field is required."]}),
        (
            {"username": "", "password": ""},
            {
                "username": ["This field may not be blank."],
                "password": ["This field may not be blank."],
            },
        ),
    ],
)
def test_login_field_errors(client: TestClient, payload: dict, expected: dict) -> None:
    response = client.post("/api/auth/login/", json=payload)
    assert response.status_code == 400
    assert response.json() == expected


def test_wrong_password_unknown_user_and_inactive_user_look_the_same(
    client: TestClient, users: Users
) -> None:
    users.create("admin", "chef")
    users.create("admin", "alt", is_active=False)
    for username, password in (
        ("chef", "wrong-password"),
        ("niemand", "x" * 10),
        ("alt", DEFAULT_PASSWORD),
    ):
        response = client.post(
            "/api/auth/login/", json={"username": username, "password": password}
        )
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Invalid credentials."]}


def test_logins_are_not_audited(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    users.create("admin", "chef")
    login(client, "chef")
    with db() as session:
        assert session.scalars(select(AuditLog)).all() == []


def test_login_throttled_after_ten_failures_even_with_right_password(
    client: TestClient, users: Users
) -> None:
    users.create("admin", "chef")
    for _ in range(10):
        response = client.post(
            "/api/auth/login/", json={"username": "CHEF", "password": "nope-nope"}
        )
        assert response.status_code == 400
    response = client.post(
        "/api/auth/login/", json={"username": "chef", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert response.json() == {
        "detail": f"Request was throttled. Expected available in {retry_after} seconds."
    }
    # Another username is not affected.
    users.create("admin", "vertretung")
    assert (
        client.post(
            "/api/auth/login/", json={"username": "vertretung", "password": DEFAULT_PASSWORD}
        ).status_code
        == 200
    )


def test_nine_failures_do_not_throttle(client: TestClient, users: Users) -> None:
    users.create("admin", "chef")
    for _ in range(9):
        client.post("/api/auth/login/", json={"username": "chef", "password": "nope-nope"})
    assert login(client, "chef")["user"]["username"] == "chef"


def test_me_returns_profile_for_any_authenticated_user(client: TestClient, users: Users) -> None:
    user = users.create(None, "ohnerolle")
    response = client.get("/api/auth/me/", headers=users.headers(user))
    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "username": "ohnerolle",
        "email": "",
        "first_name": "",
        "last_name": "",
        "is_active": True,
        "calendar_color": "#1E90FF",
        "role": None,
    }


def test_me_without_token_is_401_with_www_authenticate(client: TestClient) -> None:
    response = client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("token_kind", ["garbage", "expired", "refresh", "wrong_secret"])
def test_bad_tokens_are_401_token_not_valid(
    client: TestClient, users: Users, token_kind: str
) -> None:
    user = users.create("admin")
    now = datetime.now(UTC)
    token = {
        "garbage": "not-a-jwt",
        "expired": tokens.issue_access(
            TEST_SECRET,
            user_id=user.id,
            role="admin",
            now=now - timedelta(hours=1),
            lifetime=timedelta(minutes=30),
        ),
        "refresh": tokens.issue_refresh(
            TEST_SECRET,
            user_id=user.id,
            role="admin",
            family_id="f",
            token_version=0,
            now=now,
            lifetime=timedelta(days=1),
        ).token,
        "wrong_secret": tokens.issue_access(
            "another-secret-" + "y" * 40,
            user_id=user.id,
            role="admin",
            now=now,
            lifetime=timedelta(minutes=5),
        ),
    }[token_kind]
    response = client.get("/api/auth/me/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
    }


def test_token_of_inactive_or_missing_user_is_rejected(client: TestClient, users: Users) -> None:
    inactive = users.create("admin", is_active=False)
    response = client.get("/api/auth/me/", headers=users.headers(inactive))
    assert response.status_code == 401
    assert response.json() == {"detail": "User is inactive", "code": "user_inactive"}
    ghost = tokens.issue_access(
        TEST_SECRET,
        user_id=999999,
        role="admin",
        now=datetime.now(UTC),
        lifetime=timedelta(minutes=5),
    )
    response = client.get("/api/auth/me/", headers={"Authorization": f"Bearer {ghost}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "User not found", "code": "user_not_found"}


def test_role_comes_from_database_not_from_token_claim(client: TestClient, users: Users) -> None:
    doctor = users.create("doctor")
    forged_claim = tokens.issue_access(
        TEST_SECRET,
        user_id=doctor.id,
        role="admin",
        now=datetime.now(UTC),
        lifetime=timedelta(minutes=5),
    )
    response = client.get("/api/users/", headers={"Authorization": f"Bearer {forged_claim}"})
    assert response.status_code == 403


def test_refresh_rotates_and_detects_reuse(client: TestClient, users: Users) -> None:
    users.create("assistant", "mfa")
    first = login(client, "mfa")["refresh"]
    response = client.post("/api/auth/refresh/", json={"refresh": first})
    assert response.status_code == 200
    second = response.json()
    assert set(second) == {"access", "refresh"}
    assert (
        client.get(
            "/api/auth/me/", headers={"Authorization": f"Bearer {second['access']}"}
        ).status_code
        == 200
    )
    # The first token was used: presenting it again after the short grace that parallel
    # refreshes get (tests/server/test_refresh_race.py) revokes the whole family.
    client.app.state.praxi.settings.test_now = (  # type: ignore[attr-defined]
        datetime.now(UTC) + ROTATION_GRACE + timedelta(seconds=1)
    )
    reuse = client.post("/api/auth/refresh/", json={"refresh": first})
    assert reuse.status_code == 401
    assert reuse.json() == {
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
    }
    after = client.post("/api/auth/refresh/", json={"refresh": second["refresh"]})
    assert after.status_code == 401


def test_refresh_errors(client: TestClient, users: Users) -> None:
    assert client.post("/api/auth/refresh/", json={}).json() == {
        "refresh": ["This field is required."]
    }
    user = users.create("admin", "chef")
    for bad in ("garbage", users.token(user)):
        response = client.post("/api/auth/refresh/", json={"refresh": bad})
        assert response.status_code == 400
        assert response.json()["refresh"][0].startswith("Invalid or expired refresh token")


def test_refresh_after_password_change_or_deactivation_fails(
    client: TestClient, users: Users
) -> None:
    admin = users.create("admin", "chef")
    users.create("assistant", "mfa")
    refresh = login(client, "mfa")["refresh"]
    target = client.get("/api/users/?q=mfa", headers=users.headers(admin)).json()["results"][0]
    client.patch(
        f"/api/users/{target['id']}/",
        json={"password": "ein-neues-passwort"},
        headers=users.headers(admin),
    )
    response = client.post("/api/auth/refresh/", json={"refresh": refresh})
    assert response.status_code == 400
    assert response.json() == {
        "refresh": ["Invalid or expired refresh token: Token has been revoked"]
    }

    refresh = login(client, "mfa", "ein-neues-passwort")["refresh"]
    client.delete(f"/api/users/{target['id']}/", headers=users.headers(admin))
    response = client.post("/api/auth/refresh/", json={"refresh": refresh})
    assert response.status_code == 400
    assert response.json() == {"refresh": ["Invalid or expired refresh token: User is inactive"]}


def test_logout_revokes_the_family_and_is_idempotent(client: TestClient, users: Users) -> None:
    users.create("billing", "buchhaltung")
    refresh = login(client, "buchhaltung")["refresh"]
    assert client.post("/api/auth/logout/", json={"refresh": refresh}).status_code == 204
    assert client.post("/api/auth/logout/", json={"refresh": refresh}).status_code == 204
    assert client.post("/api/auth/refresh/", json={"refresh": refresh}).status_code == 401
    bad = client.post("/api/auth/logout/", json={"refresh": "garbage"})
    assert bad.status_code == 400
    assert bad.json()["refresh"][0].startswith("Invalid or expired refresh token")


def test_legacy_django_hash_verifies_and_is_upgraded(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    import base64
    import hashlib

    digest = hashlib.pbkdf2_hmac("sha256", b"altes-passwort", b"salz", 1000)
    legacy = f"pbkdf2_sha256$1000$salz${base64.b64encode(digest).decode()}"
    user = users.create("admin", "importiert")
    with db() as session, session.begin():
        session.get(User, user.id).password_hash = legacy  # type: ignore[union-attr]
    login(client, "importiert", "altes-passwort")
    with db() as session:
        assert session.get(User, user.id).password_hash.startswith("$argon2")  # type: ignore[union-attr]


def test_production_password_hashing_meets_the_owasp_minimum() -> None:
    """A server process (a fresh interpreter: the suite's cheap test parameters do not apply)
    hashes with argon2id at or above OWASP's minimum (m = 19 MiB, t = 2, p = 1)."""
    script = "from server.auth.passwords import hash_password; print(hash_password('geheim-123'))"
    encoded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", encoded)
    assert match is not None, encoded
    memory_kib, time_cost, parallelism = map(int, match.groups())
    assert (memory_kib, time_cost, parallelism) == (65536, 3, 4)  # RFC 9106 low-memory
    assert memory_kib >= 19 * 1024
    assert time_cost >= 2
    assert parallelism >= 1
    assert passwords.PRODUCTION_PARAMETERS == argon2.profiles.RFC_9106_LOW_MEMORY
