from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.audit.models import AuditLog
from server.settings import Settings
from tests.server.conftest import Users, make_settings

ADMIN = {"username": "praxischefin", "password": "sehr-geheim-1", "first_name": "Petra"}


def test_fresh_server_needs_setup_then_admin_is_created(
    client: TestClient, db: sessionmaker[Session]
) -> None:
    assert client.get("/api/setup/status/").json() == {"needs_setup": True}
    response = client.post("/api/setup/admin/", json=ADMIN)
    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["role"], body["first_name"]) == (
        "praxischefin",
        "admin",
        "Petra",
    )
    assert client.get("/api/setup/status/").json() == {"needs_setup": False}
    login = client.post(
        "/api/auth/login/", json={"username": "praxischefin", "password": "sehr-geheim-1"}
    )
    assert login.json()["user"]["role"]["name"] == "admin"
    with db() as session:
        row = session.scalars(select(AuditLog)).one()
    assert row.action == "user_create"
    assert row.user_id is None
    assert row.meta == {"target_user_id": body["id"], "username": "praxischefin", "source": "setup"}


def test_setup_twice_is_409_even_with_a_bad_body(client: TestClient, users: Users) -> None:
    users.create("doctor")
    for payload in (ADMIN, {}):
        response = client.post("/api/setup/admin/", json=payload)
        assert response.status_code == 409
        assert response.json() == {"detail": "Setup already completed."}


def test_setup_validates_like_user_creation(client: TestClient) -> None:
    response = client.post("/api/setup/admin/", json={"username": "x y", "password": "kurz"})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert client.get("/api/setup/status/").json() == {"needs_setup": True}


def test_concurrent_setup_calls_exactly_one_wins(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:

        def attempt(i: int) -> int:
            payload = {**ADMIN, "username": f"chef{i}"}
            return client.post("/api/setup/admin/", json=payload).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(attempt, range(8)))
    assert sorted(statuses) == [201] + [409] * 7


def test_setup_disabled_in_central_mode(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, host="0.0.0.0")  # noqa: S104
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/setup/admin/", json=ADMIN)
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Setup over HTTP is disabled; use praxi-server create-user."
        }
        assert client.get("/api/setup/status/").json() == {"needs_setup": True}
    enabled = make_settings(database_url, tmp_path, host="0.0.0.0", allow_http_setup=True)  # noqa: S104
    with TestClient(create_app(enabled)) as client:
        assert client.post("/api/setup/admin/", json=ADMIN).status_code == 201


def test_setup_unsupported_methods_are_405(client: TestClient) -> None:
    assert client.get("/api/setup/admin/").status_code == 405
    assert client.post("/api/setup/status/").json() == {"detail": 'Method "POST" not allowed.'}
    assert client.get("/api/auth/login/").status_code == 405
