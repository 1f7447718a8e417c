"""The per-worker principal cache stays correct through the database (issue 23, central mode).

Two app instances on one database stand for two workers (or hosts): a user changed through
one of them is honoured by that one at once and by the other within the LISTEN/NOTIFY
latency (docs/performance.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from server.app import create_app
from server.auth.principal_cache import cache_for
from server.settings import Settings
from tests.server.conftest import Users

NOTIFY_WAIT_SECONDS = 10.0


@pytest.fixture
def two_workers(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        yield first, second


def _listening(client: TestClient) -> bool:
    return cache_for(client.app.state.praxi.engine).active  # type: ignore[attr-defined]


def _eventually(call: Callable[[], Response], done: Callable[[Response], bool]) -> Response:
    deadline = time.monotonic() + NOTIFY_WAIT_SECONDS
    response = call()
    while not done(response) and time.monotonic() < deadline:
        time.sleep(0.02)
        response = call()
    return response


def _warm(client: TestClient, headers: dict[str, str]) -> None:
    """Sign in on ``client`` until its cache answers (its listener is connected)."""
    response = _eventually(
        lambda: client.get("/api/auth/me/", headers=headers),
        lambda r: r.status_code != 200 or _listening(client),
    )
    assert response.status_code == 200, response.text
    assert client.get("/api/auth/me/", headers=headers).status_code == 200
    assert len(cache_for(client.app.state.praxi.engine)) >= 1  # type: ignore[attr-defined]


def test_deactivation_and_role_change_reach_the_other_worker(
    two_workers: tuple[TestClient, TestClient], users: Users
) -> None:
    writer, other = two_workers
    admin = users.headers(users.create("admin", "chef"))
    target = users.create("assistant", "mfa.lang")
    as_target = users.headers(target)
    for client in (writer, other):
        _warm(client, as_target)

    changed = writer.patch(f"/api/users/{target.id}/", json={"role": "billing"}, headers=admin)
    assert changed.status_code == 200, changed.text
    # The worker that made the change: at once, no waiting for the notice.
    assert writer.get("/api/auth/me/", headers=as_target).json()["role"]["name"] == "billing"
    seen = _eventually(
        lambda: other.get("/api/auth/me/", headers=as_target),
        lambda r: r.json()["role"]["name"] == "billing",
    )
    assert seen.json()["role"]["name"] == "billing"

    for client in (writer, other):
        _warm(client, as_target)
    gone = writer.delete(f"/api/users/{target.id}/", headers=admin)
    assert gone.status_code == 204, gone.text
    refused = writer.get("/api/auth/me/", headers=as_target)
    assert (refused.status_code, refused.json()["code"]) == (401, "user_inactive")
    refused = _eventually(
        lambda: other.get("/api/auth/me/", headers=as_target), lambda r: r.status_code == 401
    )
    assert (refused.status_code, refused.json()["code"]) == (401, "user_inactive")


def test_a_password_change_ends_the_sessions_on_the_other_worker(
    two_workers: tuple[TestClient, TestClient], users: Users
) -> None:
    writer, other = two_workers
    users.create("doctor", "dr.sommer", password="alt-passwort-1")
    login = other.post(
        "/api/auth/login/", json={"username": "dr.sommer", "password": "alt-passwort-1"}
    ).json()
    as_doctor = {"Authorization": f"Bearer {login['access']}"}
    _warm(other, as_doctor)
    _warm(writer, as_doctor)

    changed = writer.post(
        "/api/users/me/password/",
        json={"current_password": "alt-passwort-1", "new_password": "neu-passwort-2"},
        headers=as_doctor,
    )
    assert changed.status_code == 204, changed.text
    # Access tokens live on until they expire (01 §3.5); the session's refresh ends at once.
    refreshed = other.post("/api/auth/refresh/", json={"refresh": login["refresh"]})
    assert refreshed.status_code in (400, 401), refreshed.text
    assert other.get("/api/auth/me/", headers=as_doctor).status_code == 200
