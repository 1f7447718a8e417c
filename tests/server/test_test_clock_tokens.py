"""Tokens are issued and verified on the server's clock (00 §6 test hook, 01 §3.5).

With ``PRAXI_TESTING=1`` and ``PRAXI_TEST_NOW`` a year ahead of (or behind) the real date, an
external client signs in and must be able to use its tokens; they expire after the access
lifetime *on the test clock*, and the events stream ends when the token does, counted from the
test clock too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest

from server.auth import tokens
from server.settings import Settings
from tests.server.conftest import DEFAULT_PASSWORD, Users, make_settings
from tests.server.live_server import live_server
from tests.server.test_events import END, EventReader

REAL_NOW = datetime.now(UTC).replace(microsecond=0)
ACCESS_MINUTES = 30


@pytest.fixture(params=[timedelta(days=365), timedelta(days=-365)], ids=["year_ahead", "year_back"])
def clocked(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[tuple[Settings, str]]:
    settings = make_settings(
        database_url,
        tmp_path / "data",
        test_now=REAL_NOW + request.param,
        jwt_access_minutes=ACCESS_MINUTES,
    )
    with live_server(settings) as base:
        yield settings, base


def _sign_in(base: str, users: Users) -> tuple[str, dict[str, str]]:
    user = users.create("assistant", password=DEFAULT_PASSWORD)
    response = httpx.post(
        f"{base}/api/auth/login/",
        json={"username": user.username, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return user.username, {"access": body["access"], "refresh": body["refresh"]}


def _refreshed_access(base: str, refresh: str) -> str:
    refreshed = httpx.post(f"{base}/api/auth/refresh/", json={"refresh": refresh})
    assert refreshed.status_code == 200, refreshed.text
    return str(refreshed.json()["access"])


def _me(base: str, access: str) -> httpx.Response:
    return httpx.get(f"{base}/api/auth/me/", headers={"Authorization": f"Bearer {access}"})


def test_sign_in_me_and_refresh_work_on_a_test_clock_far_from_the_real_one(
    clocked: tuple[Settings, str], users: Users
) -> None:
    settings, base = clocked
    username, pair = _sign_in(base, users)
    me = _me(base, pair["access"])
    assert me.status_code == 200, me.text
    assert me.json()["username"] == username

    # The token carries the test clock's time, not the real one.
    issued = jwt.decode(pair["access"], options={"verify_signature": False})
    assert settings.test_now is not None
    assert abs(issued["iat"] - settings.test_now.timestamp()) < 2

    assert _me(base, _refreshed_access(base, pair["refresh"])).status_code == 200


def test_access_token_expires_after_its_lifetime_on_the_test_clock(
    clocked: tuple[Settings, str], users: Users
) -> None:
    settings, base = clocked
    _, pair = _sign_in(base, users)
    assert settings.test_now is not None
    start = settings.test_now

    settings.test_now = start + timedelta(minutes=ACCESS_MINUTES - 1)
    assert _me(base, pair["access"]).status_code == 200

    settings.test_now = start + timedelta(minutes=ACCESS_MINUTES) + tokens.LEEWAY * 2
    expired = _me(base, pair["access"])
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_not_valid"
    # The refresh token (days) is still good and gives a fresh access token.
    assert _me(base, _refreshed_access(base, pair["refresh"])).status_code == 200


def test_events_stream_opens_and_ends_with_the_token_on_the_test_clock(
    clocked: tuple[Settings, str], users: Users
) -> None:
    settings, base = clocked
    _, pair = _sign_in(base, users)
    assert settings.test_now is not None
    # Two seconds of the access lifetime left on the test clock.
    settings.test_now = settings.test_now + timedelta(minutes=ACCESS_MINUTES, seconds=-2)
    opened = time.monotonic()
    with EventReader(base, pair["access"]) as reader:
        assert reader.status == 200
        frame = reader.next(timeout=15)
        assert frame.kind == END
        assert 1.0 <= frame.received - opened <= 6.0
        assert reader.error is None
