"""Parallel refreshes with one refresh token (01 §3.2, issue 22): the grace window.

Two workers of one client whose access token expired at the same moment both refresh with the
same refresh token. The family's row lock makes them run one after the other; the later one
presents the token the first has just rotated. Within ``ROTATION_GRACE`` of that rotation it
gets the same answer (the family's current refresh token and a fresh access token) and the
session lives on. After the window, or with a token two rotations old, reuse detection is as
strict as before: the whole family is revoked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from server.auth.service import ROTATION_GRACE
from server.users.models import User
from tests.server.apps import shared_client
from tests.server.conftest import DEFAULT_PASSWORD, Users, make_settings
from tests.server.live_server import live_server

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
TOKEN_NOT_VALID = {"detail": "Given token not valid for any token type", "code": "token_not_valid"}


def _bearer(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


def _parallel_refreshes(base: str, refresh: str, parallel: int) -> list[httpx.Response]:
    """``parallel`` refreshes with the same token, released at the same moment."""
    barrier = threading.Barrier(parallel)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            return client.post("/api/auth/refresh/", json={"refresh": refresh})

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(send, range(parallel)))


@pytest.mark.parametrize("parallel", [2, 6])
def test_parallel_refreshes_with_one_token_keep_the_user_signed_in(
    database_url: str, tmp_path: Path, users: Users, parallel: int
) -> None:
    """On the real clock and a live uvicorn: every parallel refresh succeeds, all of them
    hand out the same refresh token, and the session goes on with it."""
    users.create("assistant", "mfa")
    with (
        live_server(make_settings(database_url, tmp_path / "live")) as base,
        httpx.Client(base_url=base, timeout=60) as api,
    ):
        login = api.post("/api/auth/login/", json={"username": "mfa", "password": DEFAULT_PASSWORD})
        assert login.status_code == 200, login.text

        responses = _parallel_refreshes(base, login.json()["refresh"], parallel)

        assert [r.status_code for r in responses] == [200] * parallel, [r.text for r in responses]
        pairs = [r.json() for r in responses]
        # One chain, one current token: everybody got the winner's refresh token.
        assert len({pair["refresh"] for pair in pairs}) == 1
        assert pairs[0]["refresh"] != login.json()["refresh"]
        for pair in pairs:
            me = api.get("/api/auth/me/", headers=_bearer(pair["access"]))
            assert me.status_code == 200, me.text
            assert me.json()["username"] == "mfa"

        # The user is still signed in: the resulting token refreshes, and so does the next.
        later = api.post("/api/auth/refresh/", json={"refresh": pairs[-1]["refresh"]})
        assert later.status_code == 200, later.text
        assert api.get("/api/auth/me/", headers=_bearer(later.json()["access"])).is_success
        again = api.post("/api/auth/refresh/", json={"refresh": later.json()["refresh"]})
        assert again.status_code == 200, again.text


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


def _set_now(api: TestClient, moment: datetime) -> None:
    """Move the test clock of the running app (00 §6 ``PRAXI_TEST_NOW``)."""
    api.app.state.praxi.settings.test_now = moment  # type: ignore[attr-defined]


def _login(api: TestClient, users: Users) -> str:
    users.create("assistant", "mfa")
    response = api.post("/api/auth/login/", json={"username": "mfa", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["refresh"])


def _refresh(api: TestClient, token: str) -> httpx.Response:
    response: httpx.Response = api.post("/api/auth/refresh/", json={"refresh": token})
    return response


def test_the_grace_window_is_ten_seconds() -> None:
    assert timedelta(seconds=10) == ROTATION_GRACE


def test_previous_token_within_the_window_gets_the_winners_answer(
    api: TestClient, users: Users
) -> None:
    first = _login(api, users)
    winner = _refresh(api, first)
    assert winner.status_code == 200
    _set_now(api, NOW + timedelta(seconds=9))
    late = _refresh(api, first)
    assert late.status_code == 200, late.text
    assert late.json()["refresh"] == winner.json()["refresh"]
    assert api.get("/api/auth/me/", headers=_bearer(late.json()["access"])).status_code == 200
    assert _refresh(api, winner.json()["refresh"]).status_code == 200


@pytest.mark.parametrize(
    "after", [timedelta(seconds=10), timedelta(seconds=11), timedelta(hours=1)]
)
def test_previous_token_after_the_window_revokes_the_family(
    api: TestClient, users: Users, after: timedelta
) -> None:
    first = _login(api, users)
    second = _refresh(api, first).json()
    _set_now(api, NOW + after)
    reuse = _refresh(api, first)
    assert reuse.status_code == 401
    assert reuse.json() == TOKEN_NOT_VALID
    # The winner's token died with the family.
    assert _refresh(api, second["refresh"]).status_code == 401


def test_token_two_rotations_old_revokes_the_family_at_once(api: TestClient, users: Users) -> None:
    first = _login(api, users)
    second = _refresh(api, first).json()
    third = _refresh(api, second["refresh"]).json()
    reuse = _refresh(api, first)  # same clock: well within the window of the last rotation
    assert reuse.status_code == 401
    assert reuse.json() == TOKEN_NOT_VALID
    assert _refresh(api, third["refresh"]).status_code == 401
    assert _refresh(api, second["refresh"]).status_code == 401


def test_grace_answer_still_checks_the_user(
    api: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    first = _login(api, users)
    assert _refresh(api, first).status_code == 200
    with db() as session, session.begin():
        session.execute(update(User).where(User.username == "mfa").values(is_active=False))
    late = _refresh(api, first)
    assert late.status_code == 400
    assert late.json() == {"refresh": ["Invalid or expired refresh token: User is inactive"]}
